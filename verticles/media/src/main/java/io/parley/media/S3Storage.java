package io.parley.media;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs as objects of one bucket of an S3-compatible store, addressed path-style. The AWS SDK's
 * client blocks, so every call runs on a worker ({@code executeBlocking}); a download streams the
 * object to the response one chunk per worker call, waiting for the socket to drain between chunks.
 */
final class S3Storage implements BlobStorage {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;

    private final Vertx vertx;
    private final MediaConfig.S3 config;
    private final S3Client s3;

    S3Storage(Vertx vertx, MediaConfig.S3 config) {
        this.vertx = vertx;
        this.config = config;
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(config.endpoint()))
                .region(Region.of(config.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(config.accessKey(), config.secretKey())))
                // Third-party S3 servers do not all know the newer checksum headers: send them only when required.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder().build())
                .build();
    }

    @Override
    public Future<Void> open() {
        return vertx.executeBlocking(() -> {
            try {
                s3.headBucket(b -> b.bucket(config.bucket()));
            } catch (NoSuchBucketException e) {
                createBucket();
            } catch (S3Exception e) {
                if (e.statusCode() != NOT_FOUND) {
                    throw e;
                }
                createBucket();
            }
            return null;
        }, false);
    }

    /** Creates the bucket; another node or verticle creating it at the same moment is fine (409). */
    private void createBucket() {
        try {
            s3.createBucket(b -> b.bucket(config.bucket()));
        } catch (S3Exception e) {
            if (e.statusCode() != CONFLICT) {
                throw e;
            }
        }
    }

    @Override
    public Future<Void> put(UUID id, Path staged) {
        return vertx.executeBlocking(() -> {
            s3.putObject(b -> b.bucket(config.bucket()).key(id.toString()), RequestBody.fromFile(staged));
            Files.deleteIfExists(staged);
            return null;
        }, false);
    }

    @Override
    public Future<Void> serve(UUID id, long offset, long length, HttpServerResponse response) {
        if (length == 0) {
            return response.end();
        }
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return vertx.<ResponseInputStream<GetObjectResponse>>executeBlocking(() -> s3.getObject(b -> b
                        .bucket(config.bucket()).key(id.toString()).range(range)), false)
                .compose(in -> {
                    Promise<Void> done = Promise.promise();
                    pump(in, length, response, done);
                    return done.future().eventually(() -> vertx.executeBlocking(() -> {
                        in.close();
                        return null;
                    }, false));
                });
    }

    /** One chunk from the object to the response, then the next once the response can take more. */
    private void pump(InputStream in, long remaining, HttpServerResponse response, Promise<Void> done) {
        if (remaining <= 0) {
            response.end().onComplete(done);
            return;
        }
        vertx.executeBlocking(() -> in.readNBytes((int) Math.min(CHUNK_BYTES, remaining)), false).onComplete(read -> {
            if (read.failed()) {
                done.fail(read.cause());
                return;
            }
            byte[] chunk = read.result();
            if (chunk.length == 0) {
                done.fail(new IOException("object ended " + remaining + " bytes early"));
                return;
            }
            response.write(Buffer.buffer(chunk)).onFailure(done::tryFail);
            if (response.writeQueueFull()) {
                response.drainHandler(v -> pump(in, remaining - chunk.length, response, done));
            } else {
                pump(in, remaining - chunk.length, response, done);
            }
        });
    }

    @Override
    public Future<Void> delete(UUID id) {
        return vertx.executeBlocking(() -> {
            s3.deleteObject(b -> b.bucket(config.bucket()).key(id.toString()));
            return null;
        }, false);
    }

    @Override
    public Future<Boolean> exists(UUID id) {
        return vertx.executeBlocking(() -> {
            try {
                s3.headObject(b -> b.bucket(config.bucket()).key(id.toString()));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() == NOT_FOUND) {
                    return false;
                }
                throw e;
            }
        }, false);
    }

    @Override
    public void close() {
        s3.close();
    }
}
