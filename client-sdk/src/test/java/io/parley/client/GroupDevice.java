package io.parley.client;

import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.GroupNotice;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test's connected device with group messaging: its sender keys in a state folder of its own, and all it received. */
final class GroupDevice {
    final DeviceCredentials credentials;
    final Path folder;
    final ParleyClient client;
    final Messenger messenger;
    final SenderKeyFiles keys;
    final GroupMessenger groups;
    final List<GroupMessenger.GroupMessage> messages = new CopyOnWriteArrayList<>();
    final List<GroupNotice> notices = new CopyOnWriteArrayList<>();
    final List<Envelope> others = new CopyOnWriteArrayList<>();
    /** Group message envelopes as they came off the socket, ciphertext included. */
    final List<Envelope> groupEnvelopes = new CopyOnWriteArrayList<>();

    GroupDevice(Vertx vertx, DeviceCredentials credentials) {
        this(vertx, credentials, newFolder());
    }

    GroupDevice(Vertx vertx, DeviceCredentials credentials, Path folder) {
        this.credentials = credentials;
        this.folder = folder;
        this.client = ParleyClient.create(vertx, TestNode.address(), credentials);
        this.messenger = new Messenger(client);
        this.keys = SenderKeyFiles.open(vertx, folder);
        this.groups = new GroupMessenger(client, messenger, keys).onMessage(messages::add).onNotice(notices::add)
                .onOther(others::add);
        client.onPush(p -> {
            if (p.hasEnvelope() && !p.getEnvelope().getGroupId().isEmpty() && p.getEnvelope().getKind() == Envelope.Kind.MESSAGE) {
                groupEnvelopes.add(p.getEnvelope());
            }
        });
        Await.result(client.connect());
    }

    private static Path newFolder() {
        try {
            return Files.createTempDirectory("parley-group-device");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    UUID user() {
        return Ids.uuid(credentials.getUserId(), "user_id");
    }

    int device() {
        return credentials.getDeviceId();
    }

    List<String> texts(UUID groupId) {
        return messages.stream().filter(m -> m.groupId().equals(groupId)).map(GroupMessenger.GroupMessage::text).toList();
    }

    boolean noticed(GroupNotice.Kind kind) {
        return notices.stream().anyMatch(n -> n.getKind() == kind);
    }

    void close() {
        Await.result(messenger.flushAcks());
        Await.result(keys.flush());
        Await.result(client.close());
    }
}
