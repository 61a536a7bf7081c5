package io.parley.client;

import io.parley.client.signal.Journal;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.signal.libsignal.protocol.InvalidMessageException;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.state.SenderKeyRecord;
import org.signal.libsignal.protocol.groups.state.SenderKeyStore;

/**
 * libsignal's sender-key store, kept in the client's state folder ({@code sender-keys/}): one file
 * per sender device and distribution id, plus this device's own distribution per group (its id and
 * the member devices that have its key), with a {@link Journal} of the changes since those files
 * were last written. Read once when opened; each change is kept in memory at once and appended to
 * the journal asynchronously, in order, the changes made while a write is under way going
 * together in the next one, so libsignal's synchronous calls never wait on the disk and a busy
 * group costs one append per batch of messages, not a file per message. Meant for one Vert.x
 * context; its write queue is guarded, so a call from another thread is safe too.
 */
public final class SenderKeyFiles implements SenderKeyStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SenderKeyFiles.class);
    /** This device's sender key in one group: its distribution id and who has it. */
    public record Distribution(UUID distributionId, Set<String> sentTo) {
    }

    private static final String OWN = "own-distributions.json";
    private static final String KEY = ".key";

    private final Vertx vertx;
    private final Path folder;
    private final Journal journal;
    private final Map<String, byte[]> records = new HashMap<>();
    private final Map<UUID, Distribution> own = new HashMap<>();
    private Map<String, Optional<byte[]>> queued = new LinkedHashMap<>();
    private Promise<Void> queuedWritten;
    private Future<Void> writing;

    private SenderKeyFiles(Vertx vertx, Path folder) {
        this.vertx = vertx;
        this.folder = folder;
        this.journal = new Journal(folder.resolve("changes.journal"), Journal.filesIn(folder));
    }

    /** Opens (creating if needed) the store in {@code stateFolder/sender-keys}; call off the event loop. */
    public static SenderKeyFiles open(Vertx vertx, Path stateFolder) {
        SenderKeyFiles store = new SenderKeyFiles(vertx, stateFolder.resolve("sender-keys"));
        try {
            Files.createDirectories(store.folder);
            Map<String, byte[]> files = new HashMap<>();
            try (Stream<Path> list = Files.list(store.folder)) {
                for (Path file : (Iterable<Path>) list::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(KEY) || name.equals(OWN)) {
                        files.put(name, Files.readAllBytes(file));
                    }
                }
            }
            store.journal.open();
            store.journal.changes().forEach((name, change) -> change.ifPresentOrElse(bytes -> files.put(name, bytes),
                    () -> files.remove(name)));
            files.forEach((name, bytes) -> {
                if (name.equals(OWN)) {
                    store.readOwn(new JsonObject(Buffer.buffer(bytes)));
                } else {
                    store.records.put(name.substring(0, name.length() - KEY.length()), bytes);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sender keys in " + store.folder, e);
        }
        return store;
    }

    private void readOwn(JsonObject json) {
        json.forEach(e -> {
            JsonObject d = (JsonObject) e.getValue();
            Set<String> sentTo = new LinkedHashSet<>();
            d.getJsonArray("sentTo").forEach(s -> sentTo.add((String) s));
            own.put(UUID.fromString(e.getKey()), new Distribution(UUID.fromString(d.getString("id")), sentTo));
        });
    }

    private static String key(SignalProtocolAddress sender, UUID distributionId) {
        return sender.getName() + "." + sender.getDeviceId() + "." + distributionId;
    }

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        String key = key(sender, distributionId);
        byte[] bytes = record.serialize();
        records.put(key, bytes);
        write(key + KEY, bytes);
    }

    @Override
    public SenderKeyRecord loadSenderKey(SignalProtocolAddress sender, UUID distributionId) {
        byte[] bytes = records.get(key(sender, distributionId));
        if (bytes == null) {
            return null;
        }
        try {
            return new SenderKeyRecord(bytes);
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("a stored sender key is unreadable: " + key(sender, distributionId), e);
        }
    }

    /** This device's current distribution in the group, if it has one. */
    public Optional<Distribution> distribution(UUID groupId) {
        return Optional.ofNullable(own.get(groupId));
    }

    /** Replaces this device's distribution in the group (a new one after a rotation, a wider sentTo after a send). */
    public void saveDistribution(UUID groupId, Distribution distribution) {
        own.put(groupId, new Distribution(distribution.distributionId(), Set.copyOf(distribution.sentTo())));
        JsonObject json = new JsonObject();
        own.forEach((group, d) -> json.put(group.toString(), new JsonObject().put("id", d.distributionId().toString())
                .put("sentTo", new JsonArray(d.sentTo().stream().sorted().toList()))));
        write(OWN, json.toBuffer().getBytes());
    }

    /** Completes when everything changed so far is on disk (fails if that write failed). */
    public synchronized Future<Void> flush() {
        if (queuedWritten != null) {
            return queuedWritten.future();
        }
        return writing == null ? Future.succeededFuture() : writing;
    }

    /** Queues a change; it goes in the next append, after the one under way if there is one. */
    private synchronized void write(String name, byte[] content) {
        queued.put(name, Optional.of(content));
        if (queuedWritten == null) {
            queuedWritten = Promise.promise();
        }
        if (writing == null) {
            writeQueued();
        }
    }

    private synchronized void writeQueued() {
        Map<String, Optional<byte[]>> batch = queued;
        Promise<Void> written = queuedWritten;
        queued = new LinkedHashMap<>();
        queuedWritten = null;
        Future<Void> append = vertx.executeBlocking(() -> {
            journal.appendAll(batch);
            return null;
        }, false);
        writing = append;
        append.onComplete(done -> {
            if (done.failed()) {
                // Each change carries a key's whole record: the next change of a key writes it again.
                LOG.warn("sender keys not written to {} (kept in memory until the next change of each): {}", folder,
                        done.cause().toString());
            }
            written.handle(done);
            synchronized (this) {
                writing = null;
                if (!queued.isEmpty()) {
                    writeQueued();
                }
            }
        });
    }
}
