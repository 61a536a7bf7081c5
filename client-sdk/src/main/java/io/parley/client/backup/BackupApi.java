package io.parley.client.backup;

import io.parley.bus.Ids;
import io.parley.client.ParleyException;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Encrypted backup and restore for a device: {@link #backup} encrypts the archive on this device
 * (Argon2id + AES-256-GCM, off the event loop) and uploads the blob to {@code PUT /v1/backup};
 * {@link #restore} downloads and decrypts it. The passphrase never leaves the device. Server
 * refusals fail with {@link ParleyException} (413: too large, 404: no backup); a wrong passphrase
 * fails with {@link BackupCipher.WrongPassphraseException}.
 */
public final class BackupApi {
    private static final long TIMEOUT_MS = 60_000;

    private final Vertx vertx;
    private final HttpClient http;
    private final ServerAddress server;
    private final String authorization;
    private final BackupCipher.Params params;

    public BackupApi(Vertx vertx, ServerAddress server, DeviceCredentials credentials) {
        this(vertx, server, credentials, BackupCipher.DEFAULT);
    }

    public BackupApi(Vertx vertx, ServerAddress server, DeviceCredentials credentials, BackupCipher.Params params) {
        this.vertx = vertx;
        this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(server.tls()).setKeepAlive(false));
        this.server = server;
        this.params = params;
        UUID user = Ids.uuid(credentials.getUserId(), "user_id");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + "." + credentials.getDeviceId() + ":"
                + credentials.getPassword()).getBytes(StandardCharsets.UTF_8));
    }

    /** Encrypts and uploads; completes with the stored size in bytes. */
    public Future<Integer> backup(char[] passphrase, BackupArchive archive) {
        return vertx.executeBlocking(() -> BackupCipher.encrypt(passphrase, archive.toBytes(), params), false)
                .compose(blob -> call(HttpMethod.PUT, Buffer.buffer(blob)))
                .map(body -> new JsonObject(body.toString()).getInteger("bytes"));
    }

    /** Downloads and decrypts this account's backup. */
    public Future<BackupArchive> restore(char[] passphrase) {
        return call(HttpMethod.GET, null).compose(blob -> vertx.executeBlocking(() ->
                BackupArchive.fromBytes(BackupCipher.decrypt(passphrase, blob.getBytes())), false));
    }

    public Future<Void> delete() {
        return call(HttpMethod.DELETE, null).mapEmpty();
    }

    public Future<Void> close() {
        return http.close();
    }

    private Future<Buffer> call(HttpMethod method, Buffer body) {
        return http.request(new RequestOptions().setMethod(method).setHost(server.host()).setPort(server.port())
                        .setURI("/v1/backup").putHeader("Authorization", authorization).setTimeout(TIMEOUT_MS))
                // The body is read in the callback that gets the response (see AccountsApi).
                .compose(request -> (body == null ? request.send() : request.putHeader("content-type",
                        "application/octet-stream").send(body))
                .compose(response -> response.body().map(buffer -> {
                    if (response.statusCode() != 200) {
                        JsonObject error;
                        try {
                            error = new JsonObject(buffer.toString());
                        } catch (RuntimeException e) {
                            error = new JsonObject();
                        }
                        throw new ParleyException(error.getInteger("code", response.statusCode()),
                                error.getString("message", response.statusMessage()));
                    }
                    return buffer;
                })))
                .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
}
