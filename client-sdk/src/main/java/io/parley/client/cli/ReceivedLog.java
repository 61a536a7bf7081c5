package io.parley.client.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code STATE/received.json}: the ids of the messages this device received and who sent each, so
 * that {@code read --id ID} knows where the read receipt goes. Keeps the newest 10,000, owner-only.
 */
final class ReceivedLog {
    static final int CAPACITY = 10_000;
    private static final String FILE = "received.json";

    private final Path folder;
    private final LinkedHashMap<String, String> senders = new LinkedHashMap<>();

    private ReceivedLog(Path folder) {
        this.folder = folder;
    }

    static ReceivedLog load(Path folder) throws IOException {
        ReceivedLog log = new ReceivedLog(folder);
        Path file = folder.resolve(FILE);
        if (Files.exists(file)) {
            new JsonObject(Files.readString(file)).forEach(e -> log.senders.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return log;
    }

    void add(UUID messageId, UUID sender) {
        senders.remove(messageId.toString());
        senders.put(messageId.toString(), sender.toString());
        while (senders.size() > CAPACITY) {
            senders.remove(senders.keySet().iterator().next());
        }
    }

    Optional<UUID> sender(UUID messageId) {
        return Optional.ofNullable(senders.get(messageId.toString())).map(UUID::fromString);
    }

    void save() throws IOException {
        Files.createDirectories(folder);
        JsonObject json = new JsonObject();
        for (Map.Entry<String, String> e : senders.entrySet()) {
            json.put(e.getKey(), e.getValue());
        }
        Path temp = Files.createTempFile(folder, "received", ".tmp");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(temp, json.encode());
        Files.move(temp, folder.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
