package io.parley.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
 * the member devices that have its key). Read once when opened; each change is kept in memory at
 * once and written to disk asynchronously, in order, so libsignal's synchronous calls never wait
 * on the disk. Use from one Vert.x context.
 */
public final class SenderKeyFiles implements SenderKeyStore {
    /** This device's sender key in one group: its distribution id and who has it. */
    public record Distribution(UUID distributionId, Set<String> sentTo) {
    }

    private static final String OWN = "own-distributions.json";

    private final Vertx vertx;
    private final Path folder;
    private final Map<String, byte[]> records = new HashMap<>();
    private final Map<UUID, Distribution> own = new HashMap<>();
    private final Map<String, Future<Void>> writes = new HashMap<>();

    private SenderKeyFiles(Vertx vertx, Path folder) {
        this.vertx = vertx;
        this.folder = folder;
    }

    /** Opens (creating if needed) the store in {@code stateFolder/sender-keys}; call off the event loop. */
    public static SenderKeyFiles open(Vertx vertx, Path stateFolder) {
        SenderKeyFiles store = new SenderKeyFiles(vertx, stateFolder.resolve("sender-keys"));
        try {
            Files.createDirectories(store.folder);
            try (Stream<Path> files = Files.list(store.folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".key")) {
                        store.records.put(name.substring(0, name.length() - 4), Files.readAllBytes(file));
                    }
                }
            }
            Path own = store.folder.resolve(OWN);
            if (Files.exists(own)) {
                JsonObject json = new JsonObject(Files.readString(own));
                json.forEach(e -> {
                    JsonObject d = (JsonObject) e.getValue();
                    Set<String> sentTo = new LinkedHashSet<>();
                    d.getJsonArray("sentTo").forEach(s -> sentTo.add((String) s));
                    store.own.put(UUID.fromString(e.getKey()), new Distribution(UUID.fromString(d.getString("id")), sentTo));
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sender keys in " + store.folder, e);
        }
        return store;
    }

    private static String key(SignalProtocolAddress sender, UUID distributionId) {
        return sender.getName() + "." + sender.getDeviceId() + "." + distributionId;
    }

    @Override
    public void storeSenderKey(SignalProtocolAddress sender, UUID distributionId, SenderKeyRecord record) {
        String key = key(sender, distributionId);
        byte[] bytes = record.serialize();
        records.put(key, bytes);
        write(key + ".key", Buffer.buffer(bytes));
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
        write(OWN, json.toBuffer());
    }

    /** Completes when everything changed so far is on disk. */
    public Future<Void> flush() {
        return Future.all(writes.values().stream().toList()).mapEmpty();
    }

    /** Writes the file after the previous write of the same file, through a temporary file and a rename. */
    private void write(String name, Buffer content) {
        Path target = folder.resolve(name);
        String temp = folder.resolve(name + ".tmp").toString();
        Future<Void> previous = writes.getOrDefault(name, Future.succeededFuture());
        Future<Void> next = previous.transform(ignored -> vertx.fileSystem().writeFile(temp, content)
                .compose(v -> vertx.fileSystem().move(temp, target.toString(),
                        new io.vertx.core.file.CopyOptions().setReplaceExisting(true).setAtomicMove(true))));
        writes.put(name, next);
        next.onComplete(done -> writes.remove(name, next));
    }
}
