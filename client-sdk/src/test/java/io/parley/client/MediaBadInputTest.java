package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.media.AttachmentCipher;
import io.parley.client.media.MediaApi;
import io.parley.client.status.Audience;
import io.parley.client.status.StatusApi;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.MediaDownload;
import io.parley.proto.MediaKind;
import io.parley.proto.MediaUpload;
import io.parley.proto.MessageContent;
import io.parley.proto.StatusPosted;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media refuses what it must, with the documented code, and keeps nothing of a refused upload. */
class MediaBadInputTest {
    private static final int BLOB_BYTES = 64 * 1024;

    @TempDir
    Path folders;
    private Vertx vertx;
    private SecureDevice alice;
    private MediaApi media;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("alice")), folders.resolve("alice"));
        media = new MediaApi(alice.client);
    }

    @AfterEach
    void tearDown() {
        Await.result(media.close());
        alice.close();
        Await.result(vertx.close());
    }

    private int port() {
        return TestNode.get().httpPort();
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private MediaUpload reserve(byte[] bytes) throws Exception {
        return Await.result(media.reserve(MediaKind.MEDIA_KIND_DOCUMENT, bytes.length, sha256(bytes)));
    }

    @Test
    void aForgedUploadUrlIsRefusedWith403() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        MediaUpload upload = reserve(bytes);
        String biggerCap = upload.getUploadPath().replace("&max=" + bytes.length, "&max=" + (bytes.length * 10));
        String otherSig = upload.getUploadPath().replaceAll("sig=[^&]+", "sig=" + "A".repeat(43));
        String unsigned = upload.getUploadPath().substring(0, upload.getUploadPath().indexOf('?'));
        String asDownload = upload.getUploadPath().replace("op=upload", "op=download");

        for (String forged : new String[] {biggerCap, otherSig, unsigned}) {
            RawHttp.Reply reply = RawHttp.exchange(port(), "PUT", forged, Map.of(), bytes);
            assertThat(reply.status()).as(forged).isEqualTo(403);
            assertThat(reply.text()).contains("\"code\":403");
        }
        assertThat(RawHttp.exchange(port(), "GET", asDownload, Map.of(), null).status()).isEqualTo(403);
        assertThat(Await.result(media.offset(upload))).as("nothing was stored").isZero();
    }

    @Test
    void anUploadOverTheKindsCapIsRefusedWith413() throws Exception {
        long voiceCap = TestNode.get().config().media().capOf(MediaKind.MEDIA_KIND_VOICE);
        Throwable refused = Await.failure(media.reserve(MediaKind.MEDIA_KIND_VOICE, voiceCap + 1, sha256(new byte[1])));
        assertThat(((ParleyException) refused).code()).isEqualTo(413);
        assertThat(refused.getMessage()).contains("voice");
    }

    @Test
    void aContentLengthOverTheReservedSizeIs413BeforeTheBodyIsRead() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        MediaUpload upload = reserve(bytes);
        try (RawHttp http = new RawHttp(port())) {
            http.head("PUT", upload.getUploadPath(), Map.of("Content-Length", String.valueOf(bytes.length + 1),
                    "Expect", "100-continue"));
            RawHttp.Reply reply = http.read(false);
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.text()).contains("Content-Length");
        }
        assertThat(Await.result(media.offset(upload))).isZero();
    }

    @Test
    void aStreamedBodyPastTheReservedSizeIs413AndItsBytesAreDropped() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        MediaUpload upload = reserve(bytes);
        try (RawHttp http = new RawHttp(port())) {
            http.head("PUT", upload.getUploadPath(), Map.of("Transfer-Encoding", "chunked"));
            byte[] chunk = randomBytes(BLOB_BYTES + 100);
            http.body((Integer.toHexString(chunk.length) + "\r\n").getBytes(), 0,
                    Integer.toHexString(chunk.length).length() + 2);
            http.body(chunk, 0, chunk.length);
            assertThat(http.read(false).status()).isEqualTo(413);
        }
        assertThat(Await.result(media.offset(upload))).as("the overflowing request's bytes are not kept").isZero();
    }

    @Test
    void aDigestMismatchIs400AndNothingIsKept() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        MediaUpload upload = Await.result(media.reserve(MediaKind.MEDIA_KIND_IMAGE, bytes.length, sha256(new byte[] {1})));
        UUID blob = Ids.uuid(upload.getBlobId(), "blob_id");

        RawHttp.Reply reply = RawHttp.exchange(port(), "PUT", upload.getUploadPath(), Map.of(), bytes);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).contains("digest");
        assertThat(RawHttp.exchange(port(), "HEAD", upload.getUploadPath(), Map.of(), null).status()).isEqualTo(404);
        assertThat(((ParleyException) Await.failure(media.downloadUrl(blob))).code()).isEqualTo(404);
        Path staged = TestNode.get().config().media().stagingFolder().resolve(blob + ".part");
        Path stored = TestNode.get().config().media().localFolder().resolve(blob.toString().substring(0, 2))
                .resolve(blob.toString());
        assertThat(staged).doesNotExist();
        assertThat(stored).doesNotExist();
    }

    @Test
    void aResumeFromTheWrongOffsetIs409AndSaysTheRightOne() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        MediaUpload upload = reserve(bytes);
        RawHttp.Reply reply = RawHttp.exchange(port(), "PUT", upload.getUploadPath(),
                Map.of("Content-Range", "bytes 100-" + (bytes.length - 1) + "/" + bytes.length),
                java.util.Arrays.copyOfRange(bytes, 100, bytes.length));
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.headers().get("upload-offset")).isEqualTo("0");
    }

    @Test
    void aMalformedRangeIs400AndADownloadOfAnUnknownBlobIs404() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        Path sealedFile = Files.write(folders.resolve("b.enc"), bytes);
        UUID blob = Await.result(media.upload(MediaKind.MEDIA_KIND_DOCUMENT, sealedFile,
                new AttachmentCipher.Sealed(new byte[64], sha256(bytes), bytes.length, 0)));
        MediaDownload url = Await.result(media.downloadUrl(blob));
        assertThat(RawHttp.exchange(port(), "GET", url.getDownloadPath(), Map.of("Range", "bytes=9999999-"), null)
                .status()).isEqualTo(400);
        assertThat(RawHttp.exchange(port(), "GET", url.getDownloadPath(), Map.of("Range", "lines=1-2"), null).status())
                .isEqualTo(400);
        assertThat(((ParleyException) Await.failure(media.downloadUrl(UUID.randomUUID()))).code()).isEqualTo(404);
    }

    @Test
    void aDownloadOfADeletedBlobIs404() throws Exception {
        byte[] bytes = randomBytes(BLOB_BYTES);
        Path sealedFile = Files.write(folders.resolve("c.enc"), bytes);
        UUID blob = Await.result(media.upload(MediaKind.MEDIA_KIND_IMAGE, sealedFile,
                new AttachmentCipher.Sealed(new byte[64], sha256(bytes), bytes.length, 0)));
        MediaDownload url = Await.result(media.downloadUrl(blob));
        SecureDevice second = new SecureDevice(vertx, Users.link(vertx, alice.client, "laptop"), folders.resolve("laptop"));
        StatusApi status = new StatusApi(alice.secure);
        StatusPosted posted = Await.result(status.post(MessageContent.newBuilder().setText("pic")
                .addAttachments(AttachmentPointer.newBuilder().setBlobId(Ids.bytes(blob))).build(), Audience.contacts()));

        Await.result(status.delete(Ids.uuid(posted.getPostId(), "post_id")));

        assertThat(RawHttp.exchange(port(), "GET", url.getDownloadPath(), Map.of(), null).status()).isEqualTo(404);
        assertThat(((ParleyException) Await.failure(media.downloadUrl(blob))).code()).isEqualTo(404);
        second.close();
    }

    @Test
    void aStatusCannotPinAnotherUsersBlob() throws Exception {
        SecureDevice mallory = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("mallory")),
                folders.resolve("mallory"));
        SecureDevice second = new SecureDevice(vertx, Users.link(vertx, mallory.client, "laptop"), folders.resolve("m2"));
        byte[] bytes = randomBytes(BLOB_BYTES);
        Path sealedFile = Files.write(folders.resolve("d.enc"), bytes);
        UUID blob = Await.result(media.upload(MediaKind.MEDIA_KIND_IMAGE, sealedFile,
                new AttachmentCipher.Sealed(new byte[64], sha256(bytes), bytes.length, 0)));

        Throwable refused = Await.failure(new StatusApi(mallory.secure).post(MessageContent.newBuilder()
                .addAttachments(AttachmentPointer.newBuilder().setBlobId(Ids.bytes(blob))).build(), Audience.contacts()));

        assertThat(((ParleyException) refused).code()).isEqualTo(403);
        second.close();
        mallory.close();
    }
}
