package io.parley.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.EnumMap;
import java.util.Map;

/**
 * Builds the push services the configuration names: Web Push always (with the installation's VAPID
 * key, made once and kept in PostgreSQL), FCM and APNs when their credentials are configured.
 * Key files are read and keys made off the event loop.
 */
final class PushServices {
    private static final int MAX_CONNECTIONS = 16;

    record Built(Map<Subscription.Kind, PushSender> senders, byte[] vapidPublicKey) {
    }

    private PushServices() {
    }

    static Future<Built> create(Vertx vertx, EventsConfig.Push config, PushStore store) {
        WebClient http = WebClient.create(vertx, new WebClientOptions().setUserAgent("Parley").setFollowRedirects(false),
                new io.vertx.core.http.PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
        Map<Subscription.Kind, PushSender> senders = new EnumMap<>(Subscription.Kind.class);
        return vertx.executeBlocking(WebPushCrypto::newKeyPair)
                .compose(candidate -> store.vapidKeys(candidate.getPrivate().getEncoded(),
                        WebPushCrypto.encode((java.security.interfaces.ECPublicKey) candidate.getPublic())))
                .compose(stored -> vertx.executeBlocking(() -> new KeyPair(WebPushCrypto.decode(stored[1]),
                        KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(stored[0])))))
                .compose(vapidKeys -> {
                    Vapid vapid = new Vapid(vapidKeys, config.vapidSubject());
                    senders.put(Subscription.Kind.WEB_PUSH, new WebPushSender(http, vapid, config.messageTtl(),
                            config.requestTimeout()));
                    Future<Void> fcm = config.fcm().map(f -> vertx.fileSystem().readFile(f.credentialsFile())
                            .compose(file -> vertx.executeBlocking(() -> new FcmSender(http, f, new JsonObject(file),
                                    config.messageTtl(), config.requestTimeout())))
                            .<Void>map(sender -> {
                                senders.put(Subscription.Kind.FCM, sender);
                                return null;
                            })).orElse(Future.succeededFuture());
                    Future<Void> apns = config.apns().map(a -> vertx.fileSystem().readFile(a.keyFile())
                            .compose(file -> vertx.executeBlocking(() -> Jwts.privateKey(file.toString(), "EC")))
                            .<Void>map(key -> {
                                senders.put(Subscription.Kind.APNS, new ApnsSender(vertx.createHttpClient(apnsOptions(a)),
                                        a, key, config.messageTtl(), config.requestTimeout()));
                                return null;
                            })).orElse(Future.succeededFuture());
                    return Future.all(fcm, apns).map(v -> new Built(senders, vapid.publicKey()));
                })
                .recover(e -> Future.failedFuture(new IllegalStateException("push services not ready: " + e.getMessage(), e)));
    }

    /** HTTP/2 to APNs: over TLS with ALPN for https, with prior knowledge for a plain http base URL (tests). */
    private static HttpClientOptions apnsOptions(EventsConfig.Apns apns) {
        boolean tls = apns.baseUrl().startsWith("https:");
        return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setSsl(tls).setUseAlpn(tls)
                .setHttp2ClearTextUpgrade(false);
    }
}
