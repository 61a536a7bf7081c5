package io.parley.client;

import io.parley.bus.Ids;
import io.parley.proto.PresenceUpdate;
import io.parley.proto.Push;
import io.parley.proto.Request;
import io.parley.proto.SubscribePresenceRequest;
import io.parley.proto.TypingRequest;
import io.parley.proto.TypingUpdate;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Presence and typing on a connected client: subscribe to users (the answer is their state now;
 * changes arrive at {@link #onUpdate}), renewed before the server's five-minute subscription
 * ends; typing indicators to send and to receive. Use from the client's Vert.x context.
 */
public final class Presence {
    /** The server keeps a subscription five minutes; renew well before. */
    static final long RENEW_MS = 4 * 60_000;

    private final ParleyClient client;
    private final Set<UUID> subscribed = new LinkedHashSet<>();
    private Handler<PresenceUpdate> updates = u -> { };
    private Handler<TypingUpdate> typing = t -> { };
    private long renewTimer = -1;

    public Presence(ParleyClient client) {
        this.client = client;
        client.onPush(this::onPush);
    }

    /** Receives each presence change of a subscribed user, as the server lets this account see it. */
    public Presence onUpdate(Handler<PresenceUpdate> handler) {
        this.updates = handler;
        return this;
    }

    /** Receives typing indicators ({@code typing} false: stopped). */
    public Presence onTyping(Handler<TypingUpdate> handler) {
        this.typing = handler;
        return this;
    }

    /** Subscribes to the user's presence, keeps the subscription renewed, and returns the state now. */
    public Future<PresenceUpdate> subscribe(UUID user) {
        return request(user).compose(update -> client.onContext(() -> {
            subscribed.add(user);
            if (renewTimer < 0) {
                renewTimer = client.vertx().setPeriodic(RENEW_MS, t -> renew());
            }
            return Future.succeededFuture(update);
        }));
    }

    /** Stops renewing the subscription; the server's ends within five minutes. */
    public Future<Void> unsubscribe(UUID user) {
        return client.onContext(() -> {
            subscribed.remove(user);
            if (subscribed.isEmpty() && renewTimer >= 0) {
                client.vertx().cancelTimer(renewTimer);
                renewTimer = -1;
            }
            return Future.succeededFuture();
        });
    }

    /** Tells the user's online devices that this device is typing (or stopped); nothing is stored. */
    public Future<Void> typing(UUID to, boolean typing) {
        return client.send(Request.newBuilder().setTyping(TypingRequest.newBuilder().setToUser(Ids.bytes(to))
                .setTyping(typing))).mapEmpty();
    }

    private Future<PresenceUpdate> request(UUID user) {
        return client.send(Request.newBuilder().setSubscribePresence(SubscribePresenceRequest.newBuilder()
                .setUserId(Ids.bytes(user)))).map(r -> r.getSubscribePresence());
    }

    /** Renews every subscription; a failed renewal is tried again at the next period. */
    private void renew() {
        List<UUID> users = new ArrayList<>(subscribed);
        users.forEach(user -> request(user).onSuccess(updates::handle));
    }

    private void onPush(Push push) {
        if (push.hasPresence()) {
            updates.handle(push.getPresence());
        } else if (push.hasTyping()) {
            typing.handle(push.getTyping());
        }
    }
}
