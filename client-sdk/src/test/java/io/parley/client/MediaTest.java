package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.media.AttachmentCipher;
import io.parley.client.media.Attachments;
import io.parley.client.media.MediaApi;
import io.parley.client.media.MessageContents;
import io.parley.proto.MediaDownload;
import io.parley.proto.MediaKind;
import io.parley.proto.MediaUpload;
import io.parley.proto.MessageContent;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encrypted attachments through the node's local store: upload, ranged download, resume, files in messages. */
class MediaTest {
    private static final int FILE_BYTES = 700 * 1024 + 13;

    @TempDir
    Path folders;
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    private SecureDevice register(String name) {
        return new SecureDevice(vertx, Users.register(vertx, Users.uniqueName(name)), folders.resolve(name));
    }

    private Path randomFile(String name, int bytes, long seed) throws Exception {
        byte[] data = new byte[bytes];
        new Random(seed).nextBytes(data);
        return Files.write(folders.resolve(name), data);
    }

    @Test
    void uploadsAndDownloadsAnEncryptedAttachmentThroughTheLocalStore() throws Exception {
        SecureDevice alice = register("alice");
        Attachments attachments = new Attachments(alice.secure);
        Path photo = randomFile("photo.jpg", FILE_BYTES, 1);

        var pointer = Await.result(attachments.upload(photo, Attachments.kindOf(photo)));
        Path saved = Await.result(attachments.save(pointer, folders.resolve("saved"), "m1"));

        assertThat(pointer.getKind()).isEqualTo(MediaKind.MEDIA_KIND_IMAGE);
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(photo));
        UUID blob = Ids.uuid(pointer.getBlobId(), "blob_id");
        Path stored = TestNode.get().config().media().localFolder().resolve(blob.toString().substring(0, 2))
                .resolve(blob.toString());
        assertThat(Files.size(stored)).as("the store holds the ciphertext, IV and MAC included").isEqualTo(pointer.getSize());
        assertThat(indexOf(Files.readAllBytes(stored), Arrays.copyOf(Files.readAllBytes(photo), 64)))
                .as("no plaintext in the store").isNegative();
        Await.result(attachments.close());
        alice.close();
    }

    @Test
    void rangedDownloadAnswers206WithJustThoseBytes() throws Exception {
        SecureDevice alice = register("alice");
        MediaApi media = new MediaApi(alice.client);
        Path plain = randomFile("doc.pdf", FILE_BYTES, 2);
        Path sealedFile = folders.resolve("doc.enc");
        AttachmentCipher.Sealed sealed = AttachmentCipher.encrypt(plain, sealedFile);
        UUID blob = Await.result(media.upload(MediaKind.MEDIA_KIND_DOCUMENT, sealedFile, sealed));
        MediaDownload url = Await.result(media.downloadUrl(blob));

        RawHttp.Reply part = RawHttp.exchange(TestNode.get().httpPort(), "GET", url.getDownloadPath(),
                Map.of("Range", "bytes=1000-1999"), null);
        RawHttp.Reply tail = RawHttp.exchange(TestNode.get().httpPort(), "GET", url.getDownloadPath(),
                Map.of("Range", "bytes=-10"), null);

        byte[] all = Files.readAllBytes(sealedFile);
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.headers().get("content-range")).isEqualTo("bytes 1000-1999/" + all.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(all, 1000, 2000));
        assertThat(tail.status()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(all, all.length - 10, all.length));
        assertThat(url.getSize()).isEqualTo(all.length);
        Await.result(media.close());
        alice.close();
    }

    @Test
    void resumesAnUploadAfterTheConnectionIsCutMidBody() throws Exception {
        SecureDevice alice = register("alice");
        MediaApi media = new MediaApi(alice.client);
        Path plain = randomFile("clip.mp4", FILE_BYTES, 3);
        Path sealedFile = folders.resolve("clip.enc");
        AttachmentCipher.Sealed sealed = AttachmentCipher.encrypt(plain, sealedFile);
        byte[] bytes = Files.readAllBytes(sealedFile);
        MediaUpload upload = Await.result(media.reserve(MediaKind.MEDIA_KIND_VIDEO, sealed.size(), sealed.digest()));
        int half = bytes.length / 2;

        try (RawHttp cut = new RawHttp(TestNode.get().httpPort())) {
            cut.head("PUT", upload.getUploadPath(), Map.of("Content-Length", String.valueOf(bytes.length)));
            cut.body(bytes, 0, half);
        }
        Await.until(() -> Await.result(media.offset(upload)) > 0, "the server to hold the first half (some of it) after the cut");
        assertThat(Await.result(media.offset(upload))).as("the cut connection's bytes are kept").isBetween(1L, (long) half);

        Await.result(media.transfer(upload, sealedFile, 1));
        UUID blob = Ids.uuid(upload.getBlobId(), "blob_id");
        Path back = folders.resolve("back.enc");
        Await.result(media.download(blob, back));
        assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
        Await.result(media.close());
        alice.close();
    }

    @Test
    void continuesADownloadFromTheBytesAlreadyOnDisk() throws Exception {
        SecureDevice alice = register("alice");
        MediaApi media = new MediaApi(alice.client);
        Path plain = randomFile("voice.ogg", FILE_BYTES, 4);
        Path sealedFile = folders.resolve("voice.enc");
        AttachmentCipher.Sealed sealed = AttachmentCipher.encrypt(plain, sealedFile);
        UUID blob = Await.result(media.upload(MediaKind.MEDIA_KIND_VOICE, sealedFile, sealed));
        byte[] bytes = Files.readAllBytes(sealedFile);
        Path partial = Files.write(folders.resolve("partial.enc"), Arrays.copyOf(bytes, 12_345));

        Await.result(media.download(blob, partial));

        assertThat(Files.readAllBytes(partial)).isEqualTo(bytes);
        Await.result(media.close());
        alice.close();
    }

    @Test
    void sendsAFileInsideTheSignalMessageAndTheRecipientOpensIt() throws Exception {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        Path report = randomFile("report.txt", 50_000, 5);

        Await.result(new Attachments(alice.secure).send(bob.user(), report, MediaKind.MEDIA_KIND_DOCUMENT, "the report"));
        Await.until(() -> !bob.messages.isEmpty(), "bob to receive the message");
        MessageContent content = MessageContents.decode(bob.messages.get(0).plaintext());
        Attachments bobs = new Attachments(bob.secure);
        Path saved = Await.result(bobs.save(content.getAttachments(0), folders.resolve("bob-files"), "x"));

        assertThat(content.getText()).isEqualTo("the report");
        assertThat(content.getAttachments(0).getFileName()).isEqualTo("report.txt");
        assertThat(content.getAttachments(0).getKey().size()).isEqualTo(AttachmentCipher.KEY_BYTES);
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(report));
        Await.result(bobs.close());
        alice.close();
        bob.close();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
