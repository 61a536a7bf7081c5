package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.media.AttachmentCipher;
import io.parley.client.media.Attachments;
import io.parley.client.media.MediaApi;
import io.parley.client.status.Audience;
import io.parley.client.status.StatusApi;
import io.parley.node.ParleyNode;
import io.parley.proto.AddContactRequest;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.MediaDownload;
import io.parley.proto.MediaKind;
import io.parley.proto.MediaUpload;
import io.parley.proto.MessageContent;
import io.parley.proto.RegisterRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.StatusPosted;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of its own whose blobs live in S3 (s3proxy in-process) and whose clock the test moves:
 * uploads, ranges and resume through S3, URL expiry, the unreferenced-blob sweep, and status
 * expiry removing posts and their media.
 */
class MediaS3Test {
    private static final String BUCKET = "parley-media-test";
    private static final int FILE_BYTES = 400 * 1024 + 3;
    private static final TestClock CLOCK = new TestClock();
    private static S3ProxyServer s3;
    private static ParleyNode node;

    @TempDir
    Path folders;
    private Vertx vertx;

    @BeforeAll
    static void startNode() throws Exception {
        s3 = new S3ProxyServer();
        node = TestNode.start(Map.of("media.store", "s3", "media.s3.endpoint", s3.endpoint(), "media.s3.bucket", BUCKET,
                "media.s3.accessKey", S3ProxyServer.ACCESS_KEY, "media.s3.secretKey", S3ProxyServer.SECRET_KEY,
                "media.sweepSeconds", "1", "status.sweepSeconds", "1", "media.unreferencedRetentionSeconds", "86400",
                "media.urlLifetimeSeconds", "600"), CLOCK);
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
        s3.close();
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    private ServerAddress address() {
        return new ServerAddress("127.0.0.1", node.httpPort(), false);
    }

    private SecureDevice register(String name) {
        String username = Users.uniqueName(name);
        AccountsApi api = new AccountsApi(vertx, address());
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(username).build()));
        DeviceCredentials credentials = Await.result(api.register(RegisterRequest.newBuilder().setUsername(username)
                .setCode(TestNode.CODES.codeFor(username)).setDeviceName("phone").build()));
        Await.result(api.close());
        return new SecureDevice(vertx, credentials, folders.resolve(name), address());
    }

    private Path randomFile(String name, long seed) throws Exception {
        byte[] data = new byte[FILE_BYTES];
        new Random(seed).nextBytes(data);
        return Files.write(folders.resolve(name), data);
    }

    private record Uploaded(SecureDevice owner, Attachments attachments, UUID blob) {
    }

    /** A new user's image, uploaded and complete in S3. */
    private Uploaded uploadImage(String name, long seed) throws Exception {
        SecureDevice owner = register("alice");
        Attachments attachments = new Attachments(owner.secure);
        AttachmentPointer pointer = Await.result(attachments.upload(randomFile(name, seed), MediaKind.MEDIA_KIND_IMAGE));
        UUID blob = Ids.uuid(pointer.getBlobId(), "blob_id");
        assertThat(inS3(blob)).isTrue();
        return new Uploaded(owner, attachments, blob);
    }

    private static void awaitGoneFromS3(UUID blob, String what) {
        Await.until(() -> {
            try {
                return !inS3(blob);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, what, Duration.ofSeconds(15));
    }

    /** Whether the S3 server holds this object, asked over S3's own API. */
    private static boolean inS3(UUID blob) throws Exception {
        var client = software.amazon.awssdk.services.s3.S3Client.builder().endpointOverride(URI.create(s3.endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).forcePathStyle(true)
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY,
                                S3ProxyServer.SECRET_KEY))).build();
        try (client) {
            return client.listObjectsV2(b -> b.bucket(BUCKET).prefix(blob.toString())).keyCount() > 0;
        }
    }

    /** True once asking for the blob's download URL answers 404. */
    private static boolean gone(MediaApi media, UUID blob) {
        return media.downloadUrl(blob).transform(r -> io.vertx.core.Future.succeededFuture(r.failed()
                && r.cause() instanceof ParleyException p && p.code() == 404)).toCompletionStage().toCompletableFuture()
                .join();
    }

    @Test
    void uploadsResumesAndDownloadsInRangesThroughS3() throws Exception {
        SecureDevice alice = register("alice");
        MediaApi media = new MediaApi(alice.client);
        Path sealedFile = folders.resolve("v.enc");
        AttachmentCipher.Sealed sealed = AttachmentCipher.encrypt(randomFile("v.mp4", 1), sealedFile);
        byte[] bytes = Files.readAllBytes(sealedFile);
        MediaUpload upload = Await.result(media.reserve(MediaKind.MEDIA_KIND_VIDEO, sealed.size(), sealed.digest()));
        int part = bytes.length / 3;
        try (RawHttp cut = new RawHttp(node.httpPort())) {
            cut.head("PUT", upload.getUploadPath(), Map.of("Content-Length", String.valueOf(bytes.length)));
            cut.body(bytes, 0, part);
        }
        Await.until(() -> Await.result(media.offset(upload)) > 0, "the first third to be staged (some of it) after the cut");

        Await.result(media.transfer(upload, sealedFile, 1));
        UUID blob = Ids.uuid(upload.getBlobId(), "blob_id");
        MediaDownload url = Await.result(media.downloadUrl(blob));
        RawHttp.Reply range = RawHttp.exchange(node.httpPort(), "GET", url.getDownloadPath(),
                Map.of("Range", "bytes=70000-200000"), null);
        Path back = folders.resolve("back.enc");
        Await.result(media.download(blob, back));

        assertThat(inS3(blob)).isTrue();
        assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 70_000, 200_001));
        Await.result(media.close());
        alice.close();
    }

    @Test
    void sendsAndOpensAnAttachmentStoredInS3() throws Exception {
        SecureDevice alice = register("alice");
        Attachments attachments = new Attachments(alice.secure);
        Path photo = randomFile("p.png", 2);
        AttachmentPointer pointer = Await.result(attachments.upload(photo, MediaKind.MEDIA_KIND_IMAGE));
        Path saved = Await.result(attachments.save(pointer, folders.resolve("saved"), "p"));
        assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(photo));
        assertThat(node.config().media().localFolder()).as("nothing in the local folder").doesNotExist();
        Await.result(attachments.close());
        alice.close();
    }

    @Test
    void anExpiredUrlIs403() throws Exception {
        SecureDevice alice = register("alice");
        Attachments attachments = new Attachments(alice.secure);
        AttachmentPointer pointer = Await.result(attachments.upload(randomFile("e.pdf", 3), MediaKind.MEDIA_KIND_DOCUMENT));
        MediaDownload url = Await.result(attachments.media().downloadUrl(Ids.uuid(pointer.getBlobId(), "blob_id")));
        assertThat(RawHttp.exchange(node.httpPort(), "HEAD", url.getDownloadPath(), Map.of(), null).status())
                .isEqualTo(200);

        CLOCK.advance(Duration.ofSeconds(601));

        RawHttp.Reply expired = RawHttp.exchange(node.httpPort(), "GET", url.getDownloadPath(), Map.of(), null);
        assertThat(expired.status()).isEqualTo(403);
        assertThat(expired.text()).contains("expired");
        Await.result(attachments.close());
        alice.close();
    }

    @Test
    void theSweepDeletesBlobsNothingPinsAfterTheRetention() throws Exception {
        Uploaded image = uploadImage("old.jpg", 4);
        SecureDevice alice = image.owner();
        Attachments attachments = image.attachments();
        UUID blob = image.blob();

        CLOCK.advance(Duration.ofSeconds(86_401));

        Await.until(() -> gone(attachments.media(), blob), "the sweep to delete the blob's row", Duration.ofSeconds(15));
        awaitGoneFromS3(blob, "the sweep to delete the object");
        Await.result(attachments.close());
        alice.close();
    }

    @Test
    void anExpiredStatusIsDeletedWithItsViewsAndItsMedia() throws Exception {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        Await.result(alice.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUserId(Ids.bytes(bob.user())))));
        Attachments attachments = new Attachments(alice.secure);
        AttachmentPointer pointer = Await.result(attachments.upload(randomFile("s.jpg", 5), MediaKind.MEDIA_KIND_IMAGE));
        UUID blob = Ids.uuid(pointer.getBlobId(), "blob_id");
        StatusPosted posted = Await.result(new StatusApi(alice.secure).post(MessageContent.newBuilder().setText("sunset")
                .addAttachments(pointer).build(), Audience.contacts()));
        UUID post = Ids.uuid(posted.getPostId(), "post_id");
        StatusApi bobs = new StatusApi(bob.secure);
        assertThat(Await.result(bobs.view(post)).content().getAttachments(0).getBlobId()).isEqualTo(pointer.getBlobId());

        CLOCK.advance(Duration.ofHours(24).plusSeconds(1));

        assertThat(((ParleyException) Await.failure(bobs.view(post))).code()).as("hidden at once").isEqualTo(404);
        Await.until(() -> gone(attachments.media(), blob), "the status sweep to release and delete the media",
                Duration.ofSeconds(15));
        // The blob's row goes first, its bytes right after (MediaService.deleteBytes): wait for both.
        awaitGoneFromS3(blob, "the status sweep to delete the object");
        try (var sql = database(); var query = sql.prepareStatement(
                "SELECT (SELECT count(*) FROM status_posts WHERE post_id = ?) + (SELECT count(*) FROM status_copies "
                        + "WHERE post_id = ?) + (SELECT count(*) FROM status_views WHERE post_id = ?)")) {
            for (int i = 1; i <= 3; i++) {
                query.setObject(i, post);
            }
            var rows = query.executeQuery();
            rows.next();
            assertThat(rows.getLong(1)).as("post, copies and views rows").isZero();
        }
        Await.result(attachments.close());
        alice.close();
        bob.close();
    }

    @Test
    void bytesLeftBehindByAStopBetweenRowAndBytesAreDeletedByALaterSweep() throws Exception {
        Uploaded image = uploadImage("left.jpg", 9);
        SecureDevice alice = image.owner();
        Attachments attachments = image.attachments();
        UUID blob = image.blob();

        // What a node that stopped right after committing a blob's deletion leaves: no row, the
        // bytes still in S3, the deletion queued (long enough ago for the sweep to take it up).
        try (var sql = database(); var gone = sql.prepareStatement("WITH gone AS (DELETE FROM media_blobs WHERE blob_id = ? "
                + "RETURNING blob_id) INSERT INTO media_deletions (blob_id, deleted_at) SELECT blob_id, 0 FROM gone")) {
            gone.setObject(1, blob);
            assertThat(gone.executeUpdate()).isEqualTo(1);
        }

        awaitGoneFromS3(blob, "a later sweep to delete the bytes");
        Await.until(() -> {
            try (var sql = database(); var queued = sql.prepareStatement("SELECT count(*) FROM media_deletions WHERE blob_id = ?")) {
                queued.setObject(1, blob);
                var rows = queued.executeQuery();
                rows.next();
                return rows.getLong(1) == 0;
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "the deletion to be forgotten once done", Duration.ofSeconds(15));
        Await.result(attachments.close());
        alice.close();
    }

    private static java.sql.Connection database() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + node.postgres().getHost() + ":"
                + node.postgres().getPort() + "/" + node.postgres().getDatabase(), node.postgres().getUser(),
                node.postgres().getPassword());
    }
}
