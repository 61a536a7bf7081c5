// Writes the backup vectors the Vitest tests check (test/fixtures/backup-sdk.json): blobs made by
// the Java SDK's BackupCipher and BackupArchive, with their passphrases and what they hold. Runs
// only on demand: ../mvnw -pl web-client verify -Dtest=BackupVectorsWriter -Dvectors.write=true
package io.parley.web.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.client.backup.BackupArchive;
import io.parley.client.backup.BackupCipher;
import io.parley.client.backup.MessageHistory;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "vectors.write", matches = "true")
class BackupVectorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void writeVectors() throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("producedBy", "client-sdk io.parley.client.backup (BackupCipher, BackupArchive), BackupVectorsWriter");
        ArrayNode vectors = root.putArray("vectors");
        vector(vectors, "correct horse battery staple", BackupCipher.DEFAULT);
        vector(vectors, "pässwörd ✓ 密码 long enough", new BackupCipher.Params(256, 2, 2));
        Path out = Path.of(System.getProperty("webClient.dir", ".")).resolve("test/fixtures/backup-sdk.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    private static void vector(ArrayNode vectors, String passphrase, BackupCipher.Params params) throws Exception {
        UUID self = UUID.randomUUID();
        UUID peer = UUID.randomUUID();
        BackupArchive archive = new BackupArchive(self, 1_700_000_000_000L, List.of(
                new MessageHistory.Entry(UUID.randomUUID(), false, peer, "hello from the SDK", 1_700_000_000_001L),
                new MessageHistory.Entry(UUID.randomUUID(), true, peer, "and back, with ünïcödé ✓", 1_700_000_000_002L)),
                new JsonObject().put("theme", "dark"));
        byte[] blob = BackupCipher.encrypt(passphrase.toCharArray(), archive.toBytes(), params);
        ObjectNode vector = vectors.addObject();
        vector.put("passphrase", passphrase);
        vector.put("memoryKib", params.memoryKib()).put("iterations", params.iterations()).put("lanes", params.lanes());
        vector.put("blob", Base64.getEncoder().encodeToString(blob));
        vector.set("archive", JSON.readTree(new String(new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(archive.toBytes())).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
    }
}
