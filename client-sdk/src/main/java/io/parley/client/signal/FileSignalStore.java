package io.parley.client.signal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.InvalidKeyIdException;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.NoSessionException;
import org.signal.libsignal.protocol.ReusedBaseKeyException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.ecc.ECPublicKey;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.state.IdentityKeyStore;
import org.signal.libsignal.protocol.state.KyberPreKeyRecord;
import org.signal.libsignal.protocol.state.PreKeyRecord;
import org.signal.libsignal.protocol.state.SessionRecord;
import org.signal.libsignal.protocol.state.SignalProtocolStore;
import org.signal.libsignal.protocol.state.SignedPreKeyRecord;
import org.signal.libsignal.protocol.util.KeyHelper;

/**
 * libsignal's protocol store kept in files under a device's state folder (see {@link StateFiles}):
 * the identity key pair and registration id, prekeys of every kind, sessions, the identities of
 * peers (trust on first use; a change is reported to the listener and accepted) and sender keys.
 * Sessions are cached in memory and written through on every change. Thread-safe; blocking.
 */
public final class FileSignalStore implements SignalProtocolStore {
    private static final String IDENTITY = "identity";
    private static final String META = "meta.json";
    private static final String SESSIONS = "sessions";
    private static final String PEERS = "identities";
    private static final String PRE_KEYS = "prekeys";
    private static final String SIGNED = "signed-prekeys";
    private static final String KYBER = "kyber-prekeys";
    private static final String USED_BASE_KEYS = "kyber-used";
    private static final String SENDER_KEYS = "sender-keys";

    private final StateFiles files;
    private final IdentityKeyPair identity;
    private final JsonObject meta;
    private final Map<SignalProtocolAddress, Optional<SessionRecord>> sessions = new HashMap<>();
    private final Journal journal;
    private final Map<String, Optional<byte[]>> journaled;
    private volatile Consumer<IdentityChanged> identityListener = change -> { };

    private FileSignalStore(StateFiles files, IdentityKeyPair identity, JsonObject meta) {
        this.files = files;
        this.identity = identity;
        this.meta = meta;
        this.journal = new Journal(files.root().resolve("sessions.journal"), Journal.filesIn(files.root().resolve(SESSIONS)));
        journal.open();
        this.journaled = journal.changes();
    }

    /** Opens the store in this folder, creating a new identity and registration id if it holds none. */
    public static FileSignalStore open(Path folder) {
        StateFiles files = new StateFiles(folder);
        Optional<byte[]> saved = files.read("", IDENTITY);
        if (saved.isPresent()) {
            try {
                JsonObject meta = new JsonObject(new String(files.read("", META).orElseThrow(), StandardCharsets.UTF_8));
                return new FileSignalStore(files, new IdentityKeyPair(saved.get()), meta);
            } catch (InvalidKeyException | java.util.NoSuchElementException e) {
                throw new IllegalStateException("the Signal state in " + folder + " is damaged: " + e.getMessage(), e);
            }
        }
        IdentityKeyPair identity = IdentityKeyPair.generate();
        JsonObject meta = new JsonObject().put("registrationId", KeyHelper.generateRegistrationId(false))
                .put("nextPreKeyId", 1).put("nextKyberId", 1).put("nextSignedId", 1)
                .put("lastResortIds", new JsonArray()).put("published", false);
        FileSignalStore store = new FileSignalStore(files, identity, meta);
        store.saveMeta();
        files.write("", IDENTITY, identity.serialize());
        return store;
    }

    public void onIdentityChange(Consumer<IdentityChanged> listener) {
        this.identityListener = listener;
    }

    Path folder() {
        return files.root();
    }

    // --- bookkeeping of this device's own keys ---

    synchronized int nextId(String counter, int count) {
        int first = meta.getInteger(counter);
        int next = first + count;
        meta.put(counter, next > 0xFFFFFF ? 1 : next);
        saveMeta();
        return first;
    }

    synchronized boolean published() {
        return meta.getBoolean("published", false);
    }

    synchronized void markPublished() {
        meta.put("published", true);
        saveMeta();
    }

    synchronized void markLastResort(int kyberId) {
        meta.getJsonArray("lastResortIds").add(kyberId);
        saveMeta();
    }

    private boolean isLastResort(int kyberId) {
        return meta.getJsonArray("lastResortIds").contains(kyberId);
    }

    private void saveMeta() {
        files.write("", META, meta.encode().getBytes(StandardCharsets.UTF_8));
    }

    // --- IdentityKeyStore ---

    @Override
    public IdentityKeyPair getIdentityKeyPair() {
        return identity;
    }

    @Override
    public synchronized int getLocalRegistrationId() {
        return meta.getInteger("registrationId");
    }

    @Override
    public synchronized IdentityKeyStore.IdentityChange saveIdentity(SignalProtocolAddress address, IdentityKey key) {
        IdentityKey previous = getIdentity(address);
        if (previous != null && previous.equals(key)) {
            return IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED;
        }
        files.write(PEERS, name(address), key.serialize());
        if (previous == null) {
            return IdentityKeyStore.IdentityChange.NEW_OR_UNCHANGED;
        }
        identityListener.accept(new IdentityChanged(UUID.fromString(address.getName()), address.getDeviceId(), previous, key));
        return IdentityKeyStore.IdentityChange.REPLACED_EXISTING;
    }

    @Override
    public boolean isTrustedIdentity(SignalProtocolAddress address, IdentityKey key, Direction direction) {
        return true;
    }

    @Override
    public synchronized IdentityKey getIdentity(SignalProtocolAddress address) {
        return files.read(PEERS, name(address)).map(bytes -> {
            try {
                return new IdentityKey(bytes);
            } catch (InvalidKeyException e) {
                throw new IllegalStateException("stored identity of " + address + " is damaged", e);
            }
        }).orElse(null);
    }

    // --- SessionStore ---

    @Override
    public synchronized SessionRecord loadSession(SignalProtocolAddress address) {
        return session(address).orElse(null);
    }

    @Override
    public synchronized List<SessionRecord> loadExistingSessions(List<SignalProtocolAddress> addresses) throws NoSessionException {
        List<SessionRecord> found = new ArrayList<>();
        for (SignalProtocolAddress address : addresses) {
            found.add(session(address).orElseThrow(() -> new NoSessionException("no session with " + address)));
        }
        return found;
    }

    @Override
    public synchronized List<Integer> getSubDeviceSessions(String name) {
        List<Integer> devices = new ArrayList<>();
        for (int device : sessionDevices(name)) {
            if (device != 1) {
                devices.add(device);
            }
        }
        return devices;
    }

    /** The devices of this user that have a session: files, as changed by the journal. */
    private java.util.SortedSet<Integer> sessionDevices(String name) {
        java.util.SortedSet<Integer> devices = new java.util.TreeSet<>();
        for (String file : files.list(SESSIONS)) {
            if (file.startsWith(name + ".")) {
                devices.add(Integer.parseInt(file.substring(name.length() + 1)));
            }
        }
        journaled.forEach((file, record) -> {
            if (file.startsWith(name + ".")) {
                int device = Integer.parseInt(file.substring(name.length() + 1));
                if (record.isPresent()) {
                    devices.add(device);
                } else {
                    devices.remove(device);
                }
            }
        });
        return devices;
    }

    @Override
    public synchronized void storeSession(SignalProtocolAddress address, SessionRecord record) {
        journal.append(name(address), record.serialize());
        sessions.put(address, Optional.of(record));
    }

    @Override
    public synchronized boolean containsSession(SignalProtocolAddress address) {
        return session(address).map(SessionRecord::hasSenderChain).orElse(false);
    }

    @Override
    public synchronized void deleteSession(SignalProtocolAddress address) {
        journal.append(name(address), null);
        sessions.put(address, Optional.empty());
    }

    @Override
    public synchronized void deleteAllSessions(String name) {
        for (int device : sessionDevices(name)) {
            deleteSession(new SignalProtocolAddress(name, device));
        }
    }

    /** Forgets every session kept in memory: the next use reads the files again (tests of lost state). */
    public synchronized void dropCachedSessions() {
        sessions.clear();
    }

    private Optional<SessionRecord> session(SignalProtocolAddress address) {
        return sessions.computeIfAbsent(address, a -> (journaled.containsKey(name(a)) ? journaled.get(name(a))
                : files.read(SESSIONS, name(a))).map(bytes -> {
            try {
                return new SessionRecord(bytes);
            } catch (InvalidMessageException e) {
                throw new IllegalStateException("stored session with " + a + " is damaged", e);
            }
        }));
    }

    // --- PreKeyStore ---

    @Override
    public synchronized PreKeyRecord loadPreKey(int id) throws InvalidKeyIdException {
        byte[] bytes = files.read(PRE_KEYS, String.valueOf(id)).orElseThrow(() -> new InvalidKeyIdException("no prekey " + id));
        try {
            return new PreKeyRecord(bytes);
        } catch (InvalidMessageException e) {
            throw new InvalidKeyIdException("prekey " + id + " is damaged");
        }
    }

    @Override
    public synchronized void storePreKey(int id, PreKeyRecord record) {
        files.write(PRE_KEYS, String.valueOf(id), record.serialize());
    }

    @Override
    public synchronized boolean containsPreKey(int id) {
        return files.exists(PRE_KEYS, String.valueOf(id));
    }

    @Override
    public synchronized void removePreKey(int id) {
        files.delete(PRE_KEYS, String.valueOf(id));
    }

    // --- SignedPreKeyStore ---

    @Override
    public synchronized SignedPreKeyRecord loadSignedPreKey(int id) throws InvalidKeyIdException {
        byte[] bytes = files.read(SIGNED, String.valueOf(id)).orElseThrow(() -> new InvalidKeyIdException("no signed prekey " + id));
        try {
            return new SignedPreKeyRecord(bytes);
        } catch (InvalidMessageException e) {
            throw new InvalidKeyIdException("signed prekey " + id + " is damaged");
        }
    }

    @Override
    public synchronized List<SignedPreKeyRecord> loadSignedPreKeys() {
        List<SignedPreKeyRecord> all = new ArrayList<>();
        for (String name : files.list(SIGNED)) {
            try {
                all.add(loadSignedPreKey(Integer.parseInt(name)));
            } catch (InvalidKeyIdException e) {
                throw new IllegalStateException(e);
            }
        }
        return all;
    }

    @Override
    public synchronized void storeSignedPreKey(int id, SignedPreKeyRecord record) {
        files.write(SIGNED, String.valueOf(id), record.serialize());
    }

    @Override
    public synchronized boolean containsSignedPreKey(int id) {
        return files.exists(SIGNED, String.valueOf(id));
    }

    @Override
    public synchronized void removeSignedPreKey(int id) {
        files.delete(SIGNED, String.valueOf(id));
    }

    // --- KyberPreKeyStore ---

    @Override
    public synchronized KyberPreKeyRecord loadKyberPreKey(int id) throws InvalidKeyIdException {
        byte[] bytes = files.read(KYBER, String.valueOf(id)).orElseThrow(() -> new InvalidKeyIdException("no Kyber prekey " + id));
        try {
            return new KyberPreKeyRecord(bytes);
        } catch (InvalidMessageException e) {
            throw new InvalidKeyIdException("Kyber prekey " + id + " is damaged");
        }
    }

    @Override
    public synchronized List<KyberPreKeyRecord> loadKyberPreKeys() {
        List<KyberPreKeyRecord> all = new ArrayList<>();
        for (String name : files.list(KYBER)) {
            try {
                all.add(loadKyberPreKey(Integer.parseInt(name)));
            } catch (InvalidKeyIdException e) {
                throw new IllegalStateException(e);
            }
        }
        return all;
    }

    @Override
    public synchronized void storeKyberPreKey(int id, KyberPreKeyRecord record) {
        files.write(KYBER, String.valueOf(id), record.serialize());
    }

    @Override
    public synchronized boolean containsKyberPreKey(int id) {
        return files.exists(KYBER, String.valueOf(id));
    }

    /**
     * A one-time Kyber key is used once and removed. The last-resort key stays, but each (key,
     * signed prekey, base key) may be used once: a replayed first message is refused.
     */
    @Override
    public synchronized void markKyberPreKeyUsed(int id, int signedPreKeyId, ECPublicKey baseKey) throws ReusedBaseKeyException {
        if (!isLastResort(id)) {
            files.delete(KYBER, String.valueOf(id));
            return;
        }
        String use = id + "." + signedPreKeyId + "." + HexFormat.of().formatHex(baseKey.serialize());
        if (files.exists(USED_BASE_KEYS, use)) {
            throw new ReusedBaseKeyException("the last-resort Kyber prekey " + id + " was already used with this base key");
        }
        files.write(USED_BASE_KEYS, use, new byte[0]);
    }

    // --- SenderKeyStore ---

    @Override
    public synchronized void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        files.write(SENDER_KEYS, name(sender) + "." + distributionId, record.serialize());
    }

    @Override
    public synchronized SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
        return files.read(SENDER_KEYS, name(sender) + "." + distributionId).map(bytes -> {
            try {
                return new SenderKeyRecord(bytes);
            } catch (InvalidMessageException e) {
                throw new IllegalStateException("stored sender key of " + sender + " is damaged", e);
            }
        }).orElse(null);
    }

    private static String name(SignalProtocolAddress address) {
        return address.getName() + "." + address.getDeviceId();
    }
}
