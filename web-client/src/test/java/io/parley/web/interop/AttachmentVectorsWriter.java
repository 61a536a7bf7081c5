// Writes the attachment vectors the Vitest tests check (test/fixtures/attachments-java.json), made
// by the Java SDK's AttachmentCipher and MessageContents. Runs only on demand:
// -Dvectors.write=true -Dtest=AttachmentVectorsWriter (see web-client/README.md).
package io.parley.web.interop;

import static io.parley.web.interop.TsDriver.b64;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.parley.client.media.AttachmentCipher;
import io.parley.client.media.MessageContents;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.MediaKind;
import io.parley.proto.MessageContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

@EnabledIfSystemProperty(named = "vectors.write", matches = "true")
class AttachmentVectorsWriter {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Around the AES block and the Java cipher's 64 KiB read chunk. */
  private static final int[] SIZES = {0, 1, 15, 16, 17, 1000, 65_536, 70_001};

  @Test
  void writeVectors() throws Exception {
    ObjectNode root = TsDriver.JSON.createObjectNode();
    root.put("producedBy", "io.parley.client.media.AttachmentCipher and MessageContents (Java SDK), AttachmentVectorsWriter");
    ArrayNode sealed = root.putArray("sealed");
    Path folder = Files.createTempDirectory("attachment-vectors");
    for (int size : SIZES) {
      byte[] plain = new byte[size];
      RANDOM.nextBytes(plain);
      Path in = Files.write(folder.resolve("plain-" + size), plain);
      Path out = folder.resolve("sealed-" + size);
      AttachmentCipher.Sealed meta = AttachmentCipher.encrypt(in, out);
      sealed.addObject().put("plaintext", b64(plain)).put("key", b64(meta.key())).put("digest", b64(meta.digest()))
          .put("sealed", b64(Files.readAllBytes(out))).put("size", meta.size()).put("plaintextSize", meta.plaintextSize());
    }
    byte[] thumbnail = new byte[300];
    RANDOM.nextBytes(thumbnail);
    byte[] blob = new byte[16];
    RANDOM.nextBytes(blob);
    byte[] key = new byte[64];
    RANDOM.nextBytes(key);
    byte[] digest = new byte[32];
    RANDOM.nextBytes(digest);
    AttachmentPointer image = AttachmentPointer.newBuilder().setBlobId(ByteString.copyFrom(blob))
        .setKind(MediaKind.MEDIA_KIND_IMAGE).setKey(ByteString.copyFrom(key)).setDigest(ByteString.copyFrom(digest))
        .setSize(123_456).setPlaintextSize(123_400).setFileName("beach é.jpg").setContentType("image/jpeg")
        .setThumbnail(ByteString.copyFrom(thumbnail)).build();
    AttachmentPointer voice = image.toBuilder().setKind(MediaKind.MEDIA_KIND_VOICE).setFileName("voice.webm")
        .setContentType("audio/webm").clearThumbnail().setDurationMs(4_250).build();
    byte[] content = MessageContents.encode(MessageContent.newBuilder().setText("a caption ✓")
        .addAttachments(image).addAttachments(voice).build());
    root.putObject("content").put("plaintext", b64(content)).put("blobId", b64(blob)).put("key", b64(key))
        .put("digest", b64(digest)).put("thumbnail", b64(thumbnail));
    Path file = Path.of(System.getProperty("webClient.dir", ".")).resolve("test/fixtures/attachments-java.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, TsDriver.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }
}
