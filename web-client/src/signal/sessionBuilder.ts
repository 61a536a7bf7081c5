// Session set-up: the initiator processes a peer's prekey bundle (PQXDH, first ratchet step), the
// responder processes the header of an incoming PreKeySignalMessage. As libsignal's session.rs.
import { generateKeyPair, isCanonicalPublicKey } from './curve.js';
import { InvalidMessageError, SignatureError, UntrustedIdentityError } from './errors.js';
import type { PreKeyBundle } from './keys.js';
import { parseKyberPublicKey } from './kyber.js';
import { withRecordLock } from './locks.js';
import {
  CIPHERTEXT_MESSAGE_CURRENT_VERSION,
  CIPHERTEXT_MESSAGE_PRE_KYBER_VERSION,
  type PreKeySignalMessage,
} from './messages.js';
import { pqxdhInitiate, pqxdhRespond } from './pqxdh.js';
import { createChain } from './ratchet.js';
import {
  cloneSessionRecord,
  newSessionRecord,
  promoteMatchingSession,
  promoteState,
  type SessionRecord,
  type SessionState,
} from './sessionState.js';
import { addressToString, type ProtocolAddress, type SignalProtocolStore } from './stores.js';
import { xeddsaVerify } from './xeddsa.js';

/** The prekeys a PreKeySignalMessage consumed, to delete or mark once decryption succeeded. */
export interface PreKeysUsed {
  readonly oneTimePreKeyId: number | undefined;
  readonly signedPreKeyId: number;
  readonly kyberPreKeyId: number;
}

export class SessionBuilder {
  constructor(
    private readonly store: SignalProtocolStore,
    private readonly remoteAddress: ProtocolAddress,
  ) {}

  /**
   * Starts a session with a peer device from its bundle: checks both prekey signatures, runs
   * PQXDH as initiator and stores a session whose first messages are PreKeySignalMessages.
   */
  async processPreKeyBundle(bundle: PreKeyBundle, nowMs: number = Date.now()): Promise<void> {
    const key = `session:${addressToString(this.remoteAddress)}`;
    return withRecordLock(this.store, key, () => this.processPreKeyBundleNow(bundle, nowMs));
  }

  private async processPreKeyBundleNow(bundle: PreKeyBundle, nowMs: number): Promise<void> {
    const { store, remoteAddress } = this;
    if (!(await store.isTrustedIdentity(remoteAddress, bundle.identityKey, 'sending'))) {
      throw new UntrustedIdentityError(addressToString(remoteAddress), bundle.identityKey);
    }
    if (!xeddsaVerify(bundle.identityKey, bundle.signedPreKey, bundle.signedPreKeySignature)) {
      throw new SignatureError('signed prekey signature does not verify');
    }
    parseKyberPublicKey(bundle.kyberPreKey);
    if (!xeddsaVerify(bundle.identityKey, bundle.kyberPreKey, bundle.kyberPreKeySignature)) {
      throw new SignatureError('Kyber prekey signature does not verify');
    }

    const existing = await store.loadSession(remoteAddress);
    const record = existing === undefined ? newSessionRecord() : cloneSessionRecord(existing);
    const ourIdentityKeyPair = await store.getIdentityKeyPair();
    const ourBaseKeyPair = generateKeyPair();
    const initial = pqxdhInitiate({
      ourIdentityKeyPair,
      ourBaseKeyPair,
      theirIdentityKey: bundle.identityKey,
      theirSignedPreKey: bundle.signedPreKey,
      theirOneTimePreKey: bundle.preKey,
      theirKyberPreKey: bundle.kyberPreKey,
    });
    // Bob's signed prekey doubles as his first ratchet key, so Alice can ratchet at once.
    const sendingRatchetKeyPair = generateKeyPair();
    const sending = createChain(initial.rootKey, bundle.signedPreKey, sendingRatchetKeyPair.privateKey);

    const state: SessionState = {
      version: CIPHERTEXT_MESSAGE_CURRENT_VERSION,
      localIdentityKey: ourIdentityKeyPair.publicKey,
      remoteIdentityKey: bundle.identityKey,
      rootKey: sending.rootKey,
      previousCounter: 0,
      senderChain: { ratchetKeyPair: sendingRatchetKeyPair, chainKey: sending.chainKey },
      receiverChains: [{ senderRatchetKey: bundle.signedPreKey, chainKey: initial.chainKey, messageKeys: [] }],
      pendingPreKey: {
        preKeyId: bundle.preKey === undefined ? undefined : bundle.preKeyId,
        signedPreKeyId: bundle.signedPreKeyId,
        baseKey: ourBaseKeyPair.publicKey,
        kyberPreKeyId: bundle.kyberPreKeyId,
        kyberCiphertext: initial.kyberCiphertext,
        createdAtSeconds: Math.floor(nowMs / 1000),
      },
      localRegistrationId: await store.getLocalRegistrationId(),
      remoteRegistrationId: bundle.registrationId,
      aliceBaseKey: ourBaseKeyPair.publicKey,
    };

    await store.saveIdentity(remoteAddress, bundle.identityKey);
    promoteState(record, state);
    await store.storeSession(remoteAddress, record);
  }
}

/**
 * The responder's half of PQXDH for an incoming PreKeySignalMessage, applied to `record` (a
 * private copy). Returns undefined when the message belongs to a session already set up.
 */
export async function processPreKeyMessage(
  store: SignalProtocolStore,
  remoteAddress: ProtocolAddress,
  record: SessionRecord,
  message: PreKeySignalMessage,
): Promise<PreKeysUsed | undefined> {
  if (!(await store.isTrustedIdentity(remoteAddress, message.identityKey, 'receiving'))) {
    throw new UntrustedIdentityError(addressToString(remoteAddress), message.identityKey);
  }
  if (promoteMatchingSession(record, message.messageVersion, message.baseKey)) return undefined;
  // Checked after looking for an existing session: one set up earlier stays usable.
  if (message.messageVersion === CIPHERTEXT_MESSAGE_PRE_KYBER_VERSION) {
    throw new InvalidMessageError('X3DH no longer supported');
  }
  const signedPreKey = await store.loadSignedPreKey(message.signedPreKeyId);
  if (message.kyberPreKeyId === undefined || message.kyberCiphertext === undefined) {
    throw new InvalidMessageError('missing Kyber prekey id or ciphertext');
  }
  const kyberPreKey = await store.loadKyberPreKey(message.kyberPreKeyId);
  const oneTimePreKey = message.preKeyId === undefined ? undefined : await store.loadPreKey(message.preKeyId);
  if (!isCanonicalPublicKey(message.baseKey)) {
    throw new InvalidMessageError('incoming base key is invalid');
  }

  const ourIdentityKeyPair = await store.getIdentityKeyPair();
  const initial = pqxdhRespond({
    ourIdentityKeyPair,
    ourSignedPreKeyPair: signedPreKey.keyPair,
    ourOneTimePreKeyPair: oneTimePreKey?.keyPair,
    ourKyberSecretKey: kyberPreKey.keyPair.secretKey,
    theirIdentityKey: message.identityKey,
    theirBaseKey: message.baseKey,
    theirKyberCiphertext: message.kyberCiphertext,
  });
  const state: SessionState = {
    version: CIPHERTEXT_MESSAGE_CURRENT_VERSION,
    localIdentityKey: ourIdentityKeyPair.publicKey,
    remoteIdentityKey: message.identityKey,
    rootKey: initial.rootKey,
    previousCounter: 0,
    // Our signed prekey is the ratchet key Alice already ratcheted against.
    senderChain: { ratchetKeyPair: signedPreKey.keyPair, chainKey: initial.chainKey },
    receiverChains: [],
    pendingPreKey: undefined,
    localRegistrationId: await store.getLocalRegistrationId(),
    remoteRegistrationId: message.registrationId,
    aliceBaseKey: message.baseKey,
  };
  promoteState(record, state);
  return {
    oneTimePreKeyId: message.preKeyId,
    signedPreKeyId: message.signedPreKeyId,
    kyberPreKeyId: message.kyberPreKeyId,
  };
}
