// Micro-benchmark of the TypeScript protocol in Node (`npm run bench`): messages per second for
// one-to-one encrypt and decrypt, ratchet round trips, PQXDH set-up and sender-key groups.
import {
  createSenderKeyDistributionMessageFor,
  generateIdentityKeyPair,
  generateKyberPreKey,
  generatePreKey,
  generateRegistrationId,
  generateSignedPreKey,
  groupDecrypt,
  groupEncrypt,
  InMemorySignalProtocolStore,
  preKeyBundleOf,
  processSenderKeyDistributionMessage,
  SessionBuilder,
  SessionCipher,
  type CiphertextMessage,
  type PreKeyBundle,
  type ProtocolAddress,
} from '../src/signal/index.js';
import { randomBytes } from '../src/signal/bytes.js';

const PLAINTEXT_SIZES = [100, 1024];
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5_000);

interface Device {
  address: ProtocolAddress;
  store: InMemorySignalProtocolStore;
}

let nextId = 1;

function device(name: string): Device {
  return {
    address: { name, deviceId: 1 },
    store: new InMemorySignalProtocolStore(generateIdentityKeyPair(), generateRegistrationId()),
  };
}

function publishBundle(d: Device): PreKeyBundle {
  const preKey = generatePreKey(nextId++);
  const signed = generateSignedPreKey(d.store.identityKeyPair, nextId++);
  const kyber = generateKyberPreKey(d.store.identityKeyPair, nextId++);
  d.store.preKeys.set(preKey.id, preKey);
  d.store.signedPreKeys.set(signed.id, signed);
  d.store.kyberPreKeys.set(kyber.id, kyber);
  return preKeyBundleOf({
    registrationId: d.store.registrationId,
    deviceId: 1,
    identityKey: d.store.identityKeyPair.publicKey,
    preKey,
    signedPreKey: signed,
    kyberPreKey: kyber,
  });
}

/** A session with the first round trip done, so both sides send plain SignalMessages. */
async function connectedPair() {
  const alice = device('alice');
  const bob = device('bob');
  await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(publishBundle(bob));
  const a = new SessionCipher(alice.store, bob.address);
  const b = new SessionCipher(bob.store, alice.address);
  const hello = await a.encrypt(randomBytes(10));
  await b.decrypt(hello.type, hello.serialized);
  const welcome = await b.encrypt(randomBytes(10));
  await a.decrypt(welcome.type, welcome.serialized);
  return { a, b };
}

function rate(count: number, startedAt: number): number {
  return count / ((performance.now() - startedAt) / 1000);
}

async function oneToOne(size: number) {
  const { a, b } = await connectedPair();
  const plaintext = randomBytes(size);
  const messages: CiphertextMessage[] = [];
  let start = performance.now();
  for (let i = 0; i < MESSAGES; i++) messages.push(await a.encrypt(plaintext));
  const encrypt = rate(MESSAGES, start);
  start = performance.now();
  for (const m of messages) await b.decrypt(m.type, m.serialized);
  const decrypt = rate(MESSAGES, start);
  return { encrypt, decrypt };
}

/** Every message answers the previous one, so each costs a DH ratchet step on both sides. */
async function pingPong(rounds: number) {
  const { a, b } = await connectedPair();
  const plaintext = randomBytes(100);
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    const ping = await a.encrypt(plaintext);
    await b.decrypt(ping.type, ping.serialized);
    const pong = await b.encrypt(plaintext);
    await a.decrypt(pong.type, pong.serialized);
  }
  return rate(rounds * 2, start);
}

async function sessionSetups(count: number) {
  const pairs = [];
  for (let i = 0; i < count; i++) pairs.push({ alice: device(`a${i}`), bob: device(`b${i}`) });
  const bundles = pairs.map((p) => publishBundle(p.bob));
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const { alice, bob } = pairs[i]!;
    await new SessionBuilder(alice.store, bob.address).processPreKeyBundle(bundles[i]!);
    const first = await new SessionCipher(alice.store, bob.address).encrypt(randomBytes(100));
    await new SessionCipher(bob.store, alice.address).decrypt(first.type, first.serialized);
  }
  return rate(count, start);
}

async function group(size: number) {
  const sender = device('sender');
  const member = device('member');
  const distributionId = '6d1f6c2e-8a55-4e6b-9f43-1f0a3b7c9d21';
  const skdm = await createSenderKeyDistributionMessageFor(sender.store, sender.address, distributionId);
  await processSenderKeyDistributionMessage(member.store, sender.address, skdm.serialized);
  const plaintext = randomBytes(size);
  const count = Math.max(200, Math.floor(MESSAGES / 5));
  const messages: Uint8Array[] = [];
  let start = performance.now();
  for (let i = 0; i < count; i++) messages.push(await groupEncrypt(sender.store, sender.address, distributionId, plaintext));
  const encrypt = rate(count, start);
  start = performance.now();
  for (const m of messages) await groupDecrypt(member.store, sender.address, m);
  const decrypt = rate(count, start);
  return { encrypt, decrypt };
}

function format(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('en-US').padStart(9);
}

async function main() {
  console.log(`Parley Signal TS benchmark — Node ${process.version}, ${MESSAGES} messages per run`);
  await oneToOne(100); // warm-up: JIT and the noble precomputation tables
  for (const size of PLAINTEXT_SIZES) {
    const { encrypt, decrypt } = await oneToOne(size);
    console.log(`1:1 ${String(size).padStart(5)} B   encrypt ${format(encrypt)} msg/s   decrypt ${format(decrypt)} msg/s`);
  }
  console.log(`1:1   100 B   ping-pong (DH ratchet every message) ${format(await pingPong(500))} msg/s`);
  for (const size of PLAINTEXT_SIZES) {
    const { encrypt, decrypt } = await group(size);
    console.log(`group ${String(size).padStart(3)} B  encrypt ${format(encrypt)} msg/s   decrypt ${format(decrypt)} msg/s`);
  }
  console.log(`PQXDH set-up + first message ${format(await sessionSetups(50))} sessions/s`);
}

await main();
