package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both blob stores keep, serve (whole and in part, through a real HTTP response) and delete blobs alike. */
class BlobStorageTest {
    private static final int BLOB_BYTES = 300 * 1024 + 7;
    private static S3ProxyServer s3;
    private static Vertx vertx;

    @TempDir
    Path temp;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = new S3ProxyServer();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopS3() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        s3.close();
    }

    @Test
    void localFolderKeepsServesAndDeletesBlobs() throws Exception {
        keepsServesAndDeletes(new LocalStorage(vertx, temp.resolve("blobs")));
    }

    @Test
    void s3StoreKeepsServesAndDeletesBlobs() throws Exception {
        keepsServesAndDeletes(new S3Storage(vertx, s3.config("blobs-" + UUID.randomUUID())));
    }

    private void keepsServesAndDeletes(BlobStorage storage) throws Exception {
        byte[] bytes = new byte[BLOB_BYTES];
        new Random(7).nextBytes(bytes);
        UUID id = UUID.randomUUID();
        Path staged = temp.resolve(id + ".part");
        Files.write(staged, bytes);
        await(storage.open());
        await(storage.put(id, staged));
        assertThat(Files.exists(staged)).isFalse();
        assertThat(await(storage.exists(id))).isTrue();

        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
            long offset = Long.parseLong(req.getParam("offset"));
            long length = Long.parseLong(req.getParam("length"));
            req.response().putHeader("content-length", String.valueOf(length));
            storage.serve(id, offset, length, req.response());
        }).listen(0, "127.0.0.1"));
        HttpClient http = vertx.createHttpClient();
        try {
            assertThat(fetch(http, server.actualPort(), 0, BLOB_BYTES)).isEqualTo(bytes);
            byte[] part = fetch(http, server.actualPort(), 100_000, 70_000);
            assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(bytes, 100_000, 170_000));
        } finally {
            await(http.close());
            await(server.close());
        }

        await(storage.delete(id));
        assertThat(await(storage.exists(id))).isFalse();
        await(storage.delete(id));
        storage.close();
    }

    private static byte[] fetch(HttpClient http, int port, long offset, long length) throws Exception {
        Buffer body = await(http.request(HttpMethod.GET, port, "127.0.0.1", "/?offset=" + offset + "&length=" + length)
                .compose(r -> r.send().compose(answer -> answer.body())));
        return body.getBytes();
    }

    private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
