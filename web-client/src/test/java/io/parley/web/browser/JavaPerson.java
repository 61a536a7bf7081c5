package io.parley.web.browser;

import io.parley.bus.Ids;
import io.parley.client.AccountsApi;
import io.parley.client.GroupMessenger;
import io.parley.client.ParleyClient;
import io.parley.client.SenderKeyFiles;
import io.parley.client.media.MessageContents;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.AttachmentPointer;
import io.parley.proto.MessageContent;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Profile;
import io.parley.proto.RegisterRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.SetProfileRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A person on the Java SDK (a native app): registered through the HTTP API, with a
 * SecureMessenger (libsignal 0.86.5) and a GroupMessenger over it, recording what it decrypted.
 */
final class JavaPerson {
    static final Duration WAIT = Duration.ofSeconds(60);

    final String username;
    final DeviceCredentials credentials;
    final ParleyClient client;
    final SecureMessenger secure;
    final GroupMessenger groups;
    final List<String> texts = new CopyOnWriteArrayList<>();
    /** The decrypted 1:1 plaintexts as bytes (structured content starts with 0x00). */
    final List<byte[]> plaintexts = new CopyOnWriteArrayList<>();
    final List<String> groupTexts = new CopyOnWriteArrayList<>();
    final List<GroupMessenger.GroupMessage> groupMessages = new CopyOnWriteArrayList<>();
    final List<io.parley.proto.GroupNotice> groupNotices = new CopyOnWriteArrayList<>();
    /** Attachments of the 1:1 messages received, in arrival order. */
    final List<AttachmentPointer> attachments = new CopyOnWriteArrayList<>();
    final List<SecureMessenger.SessionReset> resets = new CopyOnWriteArrayList<>();
    final List<SecureMessenger.DecryptionFailure> failures = new CopyOnWriteArrayList<>();

    JavaPerson(Vertx vertx, String username) throws Exception {
        this.username = username;
        AccountsApi api = new AccountsApi(vertx, WebTestNode.address());
        await(api.requestCode(RequestCodeRequest.newBuilder().setUsername(username).build()));
        this.credentials = await(api.register(RegisterRequest.newBuilder().setUsername(username)
                .setCode(WebTestNode.CODES.codeFor(username)).setDeviceName("phone").build()));
        await(api.close());
        Path state = Files.createTempDirectory("parley-java-person");
        this.client = ParleyClient.create(vertx, WebTestNode.address(), credentials);
        this.secure = SecureMessenger.create(client, state)
                .onDecryptionError(failures::add)
                .onSessionReset(resets::add);
        this.groups = GroupMessenger.over(secure, SenderKeyFiles.open(vertx, state))
                .onMessage(m -> {
                    groupMessages.add(m);
                    groupTexts.add(m.text());
                })
                .onNotice(groupNotices::add)
                .onOther(e -> {
                    if (e.getKind() == io.parley.proto.Envelope.Kind.MESSAGE && e.getGroupId().isEmpty()) {
                        plaintexts.add(e.getContent().toByteArray());
                        MessageContent content = MessageContents.decode(e.getContent().toByteArray());
                        attachments.addAll(content.getAttachmentsList());
                        texts.add(content.getText());
                    }
                });
        await(client.connect());
        await(secure.publishKeys());
        await(client.send(Request.newBuilder().setSetProfile(SetProfileRequest.newBuilder()
                .setProfile(Profile.newBuilder().setDisplayName(username)))));
    }

    UUID user() {
        return Ids.uuid(credentials.getUserId(), "user_id");
    }

    void send(UUID to, String text) {
        await(secure.send(to, text.getBytes(StandardCharsets.UTF_8)));
    }

    void close() {
        await(secure.messenger().flushAcks());
        await(client.close());
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits for a condition with a deadline, checking every few milliseconds (no fixed sleeps). */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
