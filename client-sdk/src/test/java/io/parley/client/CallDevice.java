package io.parley.client;

import io.parley.bus.Ids;
import io.parley.proto.CallEvent;
import io.parley.proto.CallNotice;
import io.parley.proto.CallSignal;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Push;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test's connected device with {@link Calls} attached before it connects, and everything it was told. */
final class CallDevice {
    final DeviceCredentials credentials;
    final ParleyClient client;
    final Messenger messenger;
    final Calls calls;
    final List<Push> pushes = new CopyOnWriteArrayList<>();
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    final List<CallSignal> signals = new CopyOnWriteArrayList<>();
    final List<CallNotice> missed = new CopyOnWriteArrayList<>();

    CallDevice(Vertx vertx, DeviceCredentials credentials) {
        this(vertx, TestNode.address(), credentials);
    }

    CallDevice(Vertx vertx, ServerAddress server, DeviceCredentials credentials) {
        this.credentials = credentials;
        this.client = ParleyClient.create(vertx, server, credentials);
        this.messenger = new Messenger(client);
        this.calls = new Calls(client).onEvent(events::add).onSignal(signals::add).onMissed(missed::add);
        client.onPush(pushes::add);
        Await.result(client.connect());
    }

    UUID user() {
        return Ids.uuid(credentials.getUserId(), "user_id");
    }

    int device() {
        return credentials.getDeviceId();
    }

    /** The events of one kind about one call, in the order received. */
    List<CallEvent> events(UUID call, CallEvent.Kind kind) {
        return events.stream().filter(e -> Calls.id(e.getCallId()).equals(call) && e.getKind() == kind).toList();
    }

    CallEvent awaitEvent(UUID call, CallEvent.Kind kind) {
        Await.until(() -> !events(call, kind).isEmpty(), kind + " of call " + call + " on " + user() + "/" + device());
        return events(call, kind).get(0);
    }

    /** The first INCOMING call this device rang for. */
    UUID awaitIncoming() {
        Await.until(() -> events.stream().anyMatch(e -> e.getKind() == CallEvent.Kind.INCOMING), "an incoming call on "
                + user() + "/" + device());
        return Calls.id(events.stream().filter(e -> e.getKind() == CallEvent.Kind.INCOMING).findFirst().orElseThrow()
                .getCallId());
    }

    void close() {
        Await.result(messenger.flushAcks());
        Await.result(client.close());
    }
}
