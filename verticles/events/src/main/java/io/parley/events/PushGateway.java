package io.parley.events;

import com.google.protobuf.ByteString;
import io.parley.bus.Caller;
import io.parley.bus.Failure;
import io.parley.bus.Ids;
import io.parley.proto.DeviceRef;
import io.parley.proto.Ok;
import io.parley.proto.OfflineDevices;
import io.parley.proto.PushConfig;
import io.parley.proto.RegisterPushRequest;
import io.parley.proto.WebPushSubscription;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes offline devices. A device gets one wake, then none until it connects again (or the
 * pending mark expires): the mark is a Redis key set with NX, so concurrent messages on any node
 * collapse into one push. Wakes go to the device's subscription through its push service;
 * a service that says the subscription is gone makes us forget it. Registration requests check
 * what a client hands in: sizes, a valid P-256 key, and an endpoint that is no internal address.
 */
final class PushGateway {
    private static final Logger LOG = LoggerFactory.getLogger(PushGateway.class);
    private static final int MAX_ENDPOINT_CHARS = 1024;
    private static final int MAX_TOKEN_CHARS = 4096;
    private static final Ok OK = Ok.getDefaultInstance();

    private final PushStore store;
    private final Redis redis;
    private final Map<Subscription.Kind, PushSender> senders;
    private final EventsConfig.Push config;
    private final byte[] vapidPublicKey;
    private final EventMeters meters;

    PushGateway(PushStore store, Redis redis, Map<Subscription.Kind, PushSender> senders, EventsConfig.Push config,
            byte[] vapidPublicKey, EventMeters meters) {
        this.meters = meters;
        this.store = store;
        this.redis = redis;
        this.senders = new EnumMap<>(senders);
        this.config = config;
        this.vapidPublicKey = vapidPublicKey;
    }

    static String pendingKey(UUID userId, int deviceId) {
        return "parley:push-pending:" + userId + ":" + deviceId;
    }

    /** Envelopes wait for these devices: wake each one that has no wake pending and has a subscription. */
    Future<Integer> wake(OfflineDevices offline) {
        List<Future<Boolean>> wakes = new ArrayList<>(offline.getDevicesCount());
        for (DeviceRef device : offline.getDevicesList()) {
            wakes.add(wake(Ids.uuid(device.getUserId(), "user_id"), device.getDeviceId()));
        }
        return Future.join(wakes).map(all -> (int) wakes.stream().filter(f -> f.succeeded() && f.result()).count());
    }

    private Future<Boolean> wake(UUID userId, int deviceId) {
        return redis.send(Request.cmd(Command.SET).arg(pendingKey(userId, deviceId)).arg("1").arg("NX")
                        .arg("EX").arg(config.pendingTtl().toSeconds()))
                .compose(claimed -> {
                    if (claimed == null) {
                        meters.wakesCollapsed().increment();
                        return Future.succeededFuture(false);
                    }
                    return store.find(userId, deviceId).compose(found -> found.isEmpty() ? Future.succeededFuture(false)
                            : send(found.get()));
                });
    }

    private Future<Boolean> send(Subscription s) {
        PushSender sender = senders.get(s.kind());
        if (sender == null) {
            LOG.warn("no {} push service is configured; device not woken [user: {}, device: {}]", s.kind(), s.userId(),
                    s.deviceId());
            return Future.succeededFuture(false);
        }
        return sender.wake(s).compose(outcome -> switch (outcome) {
            case SENT -> {
                meters.wakesSent().increment();
                yield Future.succeededFuture(true);
            }
            case GONE -> {
                LOG.info("push subscription gone, forgotten [user: {}, device: {}]", s.userId(), s.deviceId());
                yield store.delete(s.userId(), s.deviceId()).map(false);
            }
            case FAILED -> {
                meters.wakesFailed().increment();
                LOG.warn("push service refused a wake [user: {}, device: {}, kind: {}]", s.userId(), s.deviceId(), s.kind());
                yield Future.succeededFuture(false);
            }
        }).recover(e -> {
            meters.wakesFailed().increment();
            LOG.warn("push wake failed [user: {}, device: {}]: {}", s.userId(), s.deviceId(), e.getMessage());
            return Future.succeededFuture(false);
        });
    }

    /** The device connected: its next offline message may wake it again. */
    Future<Void> connected(UUID userId, int deviceId) {
        return redis.send(Request.cmd(Command.DEL).arg(pendingKey(userId, deviceId))).mapEmpty();
    }

    Future<Ok> register(Caller caller, RegisterPushRequest request) {
        Subscription subscription = switch (request.getTargetCase()) {
            case WEB_PUSH -> webPush(caller, request.getWebPush());
            case FCM_TOKEN -> token(caller, Subscription.Kind.FCM, request.getFcmToken(), "fcm_token");
            case APNS_TOKEN -> token(caller, Subscription.Kind.APNS, request.getApnsToken(), "apns_token");
            case TARGET_NOT_SET -> throw Failure.BAD_REQUEST.exception("web_push, fcm_token or apns_token is required");
        };
        if (!senders.containsKey(subscription.kind())) {
            throw Failure.CONFLICT.exception("this server has no " + subscription.kind() + " push service configured");
        }
        return store.save(subscription).compose(v -> connected(caller.userId(), caller.deviceId())).map(OK);
    }

    Future<Ok> unregister(Caller caller) {
        return store.delete(caller.userId(), caller.deviceId()).map(OK);
    }

    PushConfig pushConfig() {
        return PushConfig.newBuilder().setVapidPublicKey(ByteString.copyFrom(vapidPublicKey)).build();
    }

    Future<Void> deviceRemoved(UUID userId, int deviceId) {
        return store.delete(userId, deviceId).compose(v -> connected(userId, deviceId));
    }

    private Subscription webPush(Caller caller, WebPushSubscription web) {
        String endpoint = web.getEndpoint();
        if (endpoint.isEmpty() || endpoint.length() > MAX_ENDPOINT_CHARS) {
            throw Failure.BAD_REQUEST.exception("endpoint must be a URL of 1 to " + MAX_ENDPOINT_CHARS + " characters");
        }
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw Failure.BAD_REQUEST.exception("endpoint is not a URL");
        }
        boolean https = "https".equals(uri.getScheme());
        if (uri.getHost() == null || !(https || "http".equals(uri.getScheme()))) {
            throw Failure.BAD_REQUEST.exception("endpoint must be an https URL");
        }
        if (!config.allowPrivateEndpoints() && (!https || isInternal(uri.getHost()))) {
            throw Failure.BAD_REQUEST.exception("endpoint must be an https URL of a public push service");
        }
        if (web.getAuth().size() != WebPushCrypto.AUTH_BYTES) {
            throw Failure.BAD_REQUEST.exception("auth must be " + WebPushCrypto.AUTH_BYTES + " bytes");
        }
        try {
            WebPushCrypto.decode(web.getP256Dh().toByteArray());
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw Failure.BAD_REQUEST.exception("p256dh must be an uncompressed P-256 public key of 65 bytes");
        }
        return Subscription.webPush(caller.userId(), caller.deviceId(), endpoint, web.getP256Dh().toByteArray(),
                web.getAuth().toByteArray());
    }

    private static Subscription token(Caller caller, Subscription.Kind kind, String token, String field) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS || !token.matches("[A-Za-z0-9_:\\-.]+")) {
            throw Failure.BAD_REQUEST.exception(field + " must be 1 to " + MAX_TOKEN_CHARS
                    + " letters, digits, '_', ':', '-' or '.'");
        }
        return Subscription.token(caller.userId(), caller.deviceId(), kind, token);
    }

    /** Loopback, private, link-local and unspecified literal addresses, and "localhost". */
    private static boolean isInternal(String host) {
        if (host.equalsIgnoreCase("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(literal);
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }
}
