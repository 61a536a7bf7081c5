// Interop driver: lets the Java tests (web-client/src/test/java) drive TypeScript parties over
// stdin/stdout, one JSON request per line ({id, op, ...}) and one JSON reply per line.
import { createInterface } from 'node:readline';
import {
  CiphertextMessageType,
  createSenderKeyDistributionMessageFor,
  fromBase64,
  generateIdentityKeyPair,
  generateKyberPreKey,
  generatePreKey,
  generateSignedPreKey,
  groupDecrypt,
  groupEncrypt,
  InMemorySignalProtocolStore,
  keyPairFromPrivateKey,
  preKeyBundleOf,
  processSenderKeyDistributionMessage,
  SessionBuilder,
  SessionCipher,
  toBase64,
  xeddsaSign,
  xeddsaVerify,
  type PreKeyBundle,
  type ProtocolAddress,
} from '../src/signal/index.js';
import { calculateAgreement } from '../src/signal/curve.js';
import { reencode } from './reencode.js';
import { loadStore, saveStore } from './snapshot.js';

type Request = Record<string, any> & { id: number; op: string };

const parties = new Map<string, InMemorySignalProtocolStore>();
let nextKeyId = 1;

function party(name: string): InMemorySignalProtocolStore {
  const store = parties.get(name);
  if (store === undefined) throw new Error(`unknown party ${name}`);
  return store;
}

function address(json: { name: string; deviceId: number }): ProtocolAddress {
  return { name: json.name, deviceId: json.deviceId };
}

/** Runs each item, reporting a failure per item instead of failing the whole batch. */
async function eachSettled<T>(items: T[], run: (item: T) => Promise<Record<string, unknown>>) {
  const results: Record<string, unknown>[] = [];
  for (const item of items) {
    try {
      results.push(await run(item));
    } catch (e) {
      results.push({ error: (e as Error).message, errorType: (e as Error).name });
    }
  }
  return results;
}

const operations: Record<string, (r: Request) => Promise<unknown> | unknown> = {
  newParty(r) {
    const store = new InMemorySignalProtocolStore(generateIdentityKeyPair(), r.registrationId);
    parties.set(r.name, store);
    return { identityKey: toBase64(store.identityKeyPair.publicKey) };
  },

  bundle(r) {
    const store = party(r.name);
    const signedPreKey = generateSignedPreKey(store.identityKeyPair, nextKeyId++);
    const kyberPreKey = generateKyberPreKey(store.identityKeyPair, nextKeyId++, { lastResort: r.lastResort === true });
    store.signedPreKeys.set(signedPreKey.id, signedPreKey);
    store.kyberPreKeys.set(kyberPreKey.id, kyberPreKey);
    const preKey = r.oneTimePreKey === false ? undefined : generatePreKey(nextKeyId++);
    if (preKey !== undefined) store.preKeys.set(preKey.id, preKey);
    const bundle = preKeyBundleOf({
      registrationId: store.registrationId,
      deviceId: r.deviceId ?? 1,
      identityKey: store.identityKeyPair.publicKey,
      ...(preKey === undefined ? {} : { preKey }),
      signedPreKey,
      kyberPreKey,
    });
    // Same field names as PreKeyBundle, byte arrays in base64.
    return Object.fromEntries(
      Object.entries(bundle).map(([k, v]) => [k, v instanceof Uint8Array ? toBase64(v) : v]),
    );
  },

  async processBundle(r) {
    const bundle = Object.fromEntries(
      Object.entries(r.bundle as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? fromBase64(v) : v,
      ]),
    ) as unknown as PreKeyBundle;
    await new SessionBuilder(party(r.name), address(r.peer)).processPreKeyBundle(bundle);
    return {};
  },

  async encrypt(r) {
    const cipher = new SessionCipher(party(r.name), address(r.peer));
    const messages = [];
    for (const plaintext of r.plaintexts as string[]) {
      const message = await cipher.encrypt(fromBase64(plaintext));
      messages.push({ type: message.type, body: toBase64(message.serialized) });
    }
    return { messages };
  },

  async decrypt(r) {
    const cipher = new SessionCipher(party(r.name), address(r.peer));
    const results = await eachSettled(r.messages as { type: number; body: string }[], async (m) => ({
      plaintext: toBase64(await cipher.decrypt(m.type, fromBase64(m.body))),
    }));
    return { results };
  },

  async createSkdm(r) {
    const store = party(r.name);
    const self = address(r.self);
    const skdm = await createSenderKeyDistributionMessageFor(store, self, r.distributionId);
    return { skdm: toBase64(skdm.serialized) };
  },

  async processSkdm(r) {
    await processSenderKeyDistributionMessage(party(r.name), address(r.sender), fromBase64(r.skdm));
    return {};
  },

  async groupEncrypt(r) {
    const store = party(r.name);
    const messages = [];
    for (const plaintext of r.plaintexts as string[]) {
      messages.push(toBase64(await groupEncrypt(store, address(r.self), r.distributionId, fromBase64(plaintext))));
    }
    return { messages };
  },

  async groupDecrypt(r) {
    const store = party(r.name);
    const results = await eachSettled(r.messages as string[], async (m) => ({
      plaintext: toBase64(await groupDecrypt(store, address(r.sender), fromBase64(m))),
    }));
    return { results };
  },

  /** Round-trips the party's whole store through JSON text, as a page reload would. */
  reload(r) {
    const text = saveStore(party(r.name));
    parties.set(r.name, loadStore(text));
    return { bytes: text.length };
  },

  publicKey(r) {
    return { publicKey: toBase64(keyPairFromPrivateKey(fromBase64(r.privateKey)).publicKey) };
  },

  agree(r) {
    return { sharedSecret: toBase64(calculateAgreement(fromBase64(r.publicKey), fromBase64(r.privateKey))) };
  },

  sign(r) {
    return { signature: toBase64(xeddsaSign(fromBase64(r.privateKey), fromBase64(r.message))) };
  },

  verify(r) {
    return { valid: xeddsaVerify(fromBase64(r.publicKey), fromBase64(r.message), fromBase64(r.signature)) };
  },

  reencode(r) {
    return { serialized: toBase64(reencode(r.kind, fromBase64(r.serialized))) };
  },

  messageTypes() {
    return CiphertextMessageType;
  },
};

async function handle(line: string): Promise<string> {
  let request: Request;
  try {
    request = JSON.parse(line);
  } catch {
    return JSON.stringify({ id: -1, ok: false, error: 'malformed request' });
  }
  const operation = operations[request.op];
  if (operation === undefined) return JSON.stringify({ id: request.id, ok: false, error: `unknown op ${request.op}` });
  try {
    return JSON.stringify({ id: request.id, ok: true, result: await operation(request) });
  } catch (e) {
    const error = e as Error;
    return JSON.stringify({ id: request.id, ok: false, error: error.message, errorType: error.name });
  }
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
// Requests are handled strictly one after another, in arrival order.
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    process.stdout.write(`${await handle(line)}\n`);
  });
});
lines.on('close', () => {
  void queue.then(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ id: 0, ok: true, result: { ready: true } })}\n`);
