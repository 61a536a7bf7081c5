package io.parley.client;

import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.Push;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test's connected device: its client, its messenger and everything it received. */
final class Device {
    final DeviceCredentials credentials;
    final ParleyClient client;
    final Messenger messenger;
    final List<Envelope> received = new CopyOnWriteArrayList<>();
    final List<Push> pushes = new CopyOnWriteArrayList<>();

    Device(Vertx vertx, DeviceCredentials credentials) {
        this(vertx, TestNode.address(), credentials);
    }

    /** A device of a node of the test's own. */
    Device(Vertx vertx, ServerAddress server, DeviceCredentials credentials) {
        this.credentials = credentials;
        this.client = ParleyClient.create(vertx, server, credentials);
        this.messenger = new Messenger(client);
        messenger.onEnvelope(received::add);
        client.onPush(pushes::add);
        Await.result(client.connect());
    }

    UUID user() {
        return Ids.uuid(credentials.getUserId(), "user_id");
    }

    /** The texts of received messages, in the order received. */
    List<String> texts() {
        return received.stream().filter(e -> e.getKind() == Envelope.Kind.MESSAGE)
                .map(e -> e.getContent().toStringUtf8()).toList();
    }

    boolean drained() {
        return pushes.stream().anyMatch(Push::hasInboxDrained);
    }

    void close() {
        Await.result(messenger.flushAcks());
        Await.result(client.close());
    }
}
