package io.parley.client.backup;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A device's message history: {@code STATE/history.jsonl}, one JSON line per message sent or
 * received (id, direction, peer, text, time), owner-only, appended as messages come and go. It is
 * what a backup carries and a restore merges back (dropping messages already there, by id).
 */
public final class MessageHistory {
    public static final String FILE = "history.jsonl";

    /** One message: {@code outgoing} when this account sent it; {@code peer} is the other party. */
    public record Entry(UUID messageId, boolean outgoing, UUID peer, String text, long atMs) {
        JsonObject toJson() {
            return new JsonObject().put("messageId", messageId.toString()).put("outgoing", outgoing)
                    .put("peer", peer.toString()).put("text", text).put("atMs", atMs);
        }

        static Entry fromJson(JsonObject json) {
            return new Entry(UUID.fromString(json.getString("messageId")), json.getBoolean("outgoing"),
                    UUID.fromString(json.getString("peer")), json.getString("text"), json.getLong("atMs"));
        }
    }

    private final Path file;

    public MessageHistory(Path stateFolder) {
        this.file = stateFolder.resolve(FILE);
    }

    public synchronized void append(Entry entry) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, entry.toJson().encode() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    public synchronized List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    entries.add(Entry.fromJson(new JsonObject(line)));
                }
            }
        }
        return entries;
    }

    /** Adds the entries not here yet (by message id), in their order; returns how many were added. */
    public synchronized int merge(List<Entry> restored) throws IOException {
        Set<UUID> known = new LinkedHashSet<>();
        entries().forEach(e -> known.add(e.messageId()));
        int added = 0;
        for (Entry e : restored) {
            if (known.add(e.messageId())) {
                append(e);
                added++;
            }
        }
        return added;
    }
}
