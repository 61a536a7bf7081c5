package io.parley.client.backup;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What a backup holds before encryption: the account it belongs to, the message history and the
 * device's settings, as gzipped JSON ({"version":1,...}). Reading refuses another account's
 * archive and inflates at most {@link #MAX_INFLATED_BYTES}.
 */
public record BackupArchive(UUID userId, long createdMs, List<MessageHistory.Entry> history, JsonObject settings) {
    static final int VERSION = 1;
    static final long MAX_INFLATED_BYTES = 512L * 1024 * 1024;

    public byte[] toBytes() throws IOException {
        JsonArray entries = new JsonArray();
        history.forEach(e -> entries.add(e.toJson()));
        byte[] json = new JsonObject().put("version", VERSION).put("userId", userId.toString()).put("createdMs", createdMs)
                .put("history", entries).put("settings", settings).encode().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(json);
        }
        return out.toByteArray();
    }

    public static BackupArchive fromBytes(byte[] bytes) throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            byte[] chunk = new byte[64 * 1024];
            for (int n = in.read(chunk); n > 0; n = in.read(chunk)) {
                json.write(chunk, 0, n);
                if (json.size() > MAX_INFLATED_BYTES) {
                    throw new IOException("the backup inflates to more than " + MAX_INFLATED_BYTES + " bytes");
                }
            }
        }
        JsonObject root = new JsonObject(json.toString(StandardCharsets.UTF_8));
        if (root.getInteger("version", 0) != VERSION) {
            throw new IOException("backup version " + root.getValue("version") + " is not one this client reads");
        }
        List<MessageHistory.Entry> history = new ArrayList<>();
        root.getJsonArray("history", new JsonArray()).forEach(e -> history.add(MessageHistory.Entry.fromJson((JsonObject) e)));
        return new BackupArchive(UUID.fromString(root.getString("userId")), root.getLong("createdMs"), history,
                root.getJsonObject("settings", new JsonObject()));
    }
}
