package io.parley.client;

import io.parley.bus.Ids;
import io.parley.client.signal.IdentityChanged;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.KeyCounts;
import io.parley.proto.Push;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test's device with end-to-end encryption: its client, its SecureMessenger, what it decrypted and was told. */
final class SecureDevice {
    final DeviceCredentials credentials;
    final Path state;
    final ParleyClient client;
    final SecureMessenger secure;
    final List<SecureMessenger.Incoming> messages = new CopyOnWriteArrayList<>();
    final List<SecureMessenger.DecryptionFailure> failures = new CopyOnWriteArrayList<>();
    final List<IdentityChanged> identityChanges = new CopyOnWriteArrayList<>();
    final List<SecureMessenger.SessionReset> resets = new CopyOnWriteArrayList<>();
    final List<Push> pushes = new CopyOnWriteArrayList<>();
    final KeyCounts published;

    SecureDevice(Vertx vertx, DeviceCredentials credentials, Path state) {
        this(vertx, credentials, state, SecureMessenger.Options.defaults());
    }

    SecureDevice(Vertx vertx, DeviceCredentials credentials, Path state, SecureMessenger.Options options) {
        this(vertx, credentials, state, options, TestNode.address());
    }

    /** A device of a node other than the shared test node. */
    SecureDevice(Vertx vertx, DeviceCredentials credentials, Path state, ServerAddress server) {
        this(vertx, credentials, state, SecureMessenger.Options.defaults(), server);
    }

    SecureDevice(Vertx vertx, DeviceCredentials credentials, Path state, SecureMessenger.Options options,
            ServerAddress server) {
        this.credentials = credentials;
        this.state = state;
        this.client = ParleyClient.create(vertx, server, credentials);
        this.secure = SecureMessenger.create(client, state, options)
                .onMessage(messages::add)
                .onDecryptionError(failures::add)
                .onIdentityChanged(identityChanges::add)
                .onSessionReset(resets::add);
        client.onPush(pushes::add);
        Await.result(client.connect());
        this.published = Await.result(secure.publishKeys());
    }

    UUID user() {
        return Ids.uuid(credentials.getUserId(), "user_id");
    }

    int device() {
        return credentials.getDeviceId();
    }

    void send(SecureDevice to, String text) {
        Await.result(secure.send(to.user(), text.getBytes(StandardCharsets.UTF_8)));
    }

    List<String> texts() {
        return messages.stream().map(m -> new String(m.plaintext(), StandardCharsets.UTF_8)).toList();
    }

    List<String> textsFrom(SecureDevice sender) {
        return messages.stream().filter(m -> m.sender().equals(sender.user()) && m.senderDevice() == sender.device())
                .map(m -> new String(m.plaintext(), StandardCharsets.UTF_8)).toList();
    }

    void close() {
        Await.result(secure.messenger().flushAcks());
        Await.result(client.close());
    }
}
