package io.parley.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-ins for the push services on loopback (the real ones are outside this machine): a Web Push
 * endpoint, Google's OAuth token endpoint and FCM's send API, and APNs over HTTP/2 cleartext. Each
 * checks what a real service checks (the token exchange's RS256 assertion, the bearer token, the
 * APNs ES256 JWT and headers) and records what it accepted; test assertions decrypt and inspect it.
 */
final class PushServiceStub implements AutoCloseable {
    static final String ACCESS_TOKEN = "stub-access-token";
    static final String APNS_TEAM = "TEAM123456";
    static final String APNS_KEY_ID = "KEY1234567";
    static final String APNS_TOPIC = "io.parley.app";

    /** One request a push service accepted (or refused, for a gone subscription). */
    record Received(String path, HttpVersion version, Map<String, String> headers, byte[] body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final KeyPair fcmServiceAccount;
    final KeyPair apnsKey;
    private final Vertx vertx;
    private final HttpServer server;

    PushServiceStub() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        fcmServiceAccount = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        apnsKey = ec.generateKeyPair();
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(true)).requestHandler(r -> r.body().onSuccess(body -> handle(r, body)));
        Await.result(server.listen());
    }

    String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    List<Received> to(String pathPrefix) {
        return received.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    private void handle(HttpServerRequest request, Buffer body) {
        String path = request.path();
        Map<String, String> headers = new java.util.HashMap<>();
        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
        Received got = new Received(path, request.version(), headers, body.getBytes());
        if (path.startsWith("/webpush-gone/")) {
            received.add(got);
            request.response().setStatusCode(410).end();
        } else if (path.startsWith("/webpush/")) {
            received.add(got);
            request.response().setStatusCode(201).end();
        } else if (path.equals("/token")) {
            String assertion = form(body.toString()).get("assertion");
            String problem = assertion == null ? "no assertion" : checkJwt(assertion, fcmServiceAccount.getPublic(),
                    "SHA256withRSA", claims -> claims.getString("iss").equals("push@parley-test.iam.example")
                            && claims.getString("aud").equals(base() + "/token")
                            && claims.getString("scope").contains("firebase.messaging"));
            if (problem != null) {
                refusals.add("token: " + problem);
                request.response().setStatusCode(401).end();
                return;
            }
            request.response().putHeader("content-type", "application/json").end(new JsonObject()
                    .put("access_token", ACCESS_TOKEN).put("expires_in", 3600).encode());
        } else if (path.startsWith("/v1/projects/parley-test/messages:send")) {
            if (!("Bearer " + ACCESS_TOKEN).equals(headers.get("authorization"))) {
                refusals.add("fcm: bad authorization " + headers.get("authorization"));
                request.response().setStatusCode(401).end();
                return;
            }
            received.add(got);
            request.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("name", "projects/parley-test/messages/1").encode());
        } else if (path.startsWith("/3/device/")) {
            String auth = headers.getOrDefault("authorization", "");
            String problem = request.version() != HttpVersion.HTTP_2 ? "not HTTP/2"
                    : !auth.startsWith("bearer ") ? "no bearer token"
                    : checkJwt(auth.substring(7), apnsKey.getPublic(), "SHA256withECDSAinP1363Format",
                            claims -> claims.getString("iss").equals(APNS_TEAM));
            if (problem == null && !APNS_TOPIC.equals(headers.get("apns-topic"))) {
                problem = "wrong topic " + headers.get("apns-topic");
            }
            if (problem != null) {
                refusals.add("apns: " + problem);
                request.response().setStatusCode(403).end();
                return;
            }
            received.add(got);
            request.response().setStatusCode(200).end();
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    /** null when the JWT's signature verifies with the key and its claims pass; else what is wrong. */
    static String checkJwt(String jwt, PublicKey key, String algorithm,
            java.util.function.Predicate<JsonObject> claimsCheck) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "not a JWT";
        }
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "bad signature";
            }
            JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            return claimsCheck.test(claims) ? null : "bad claims " + claims;
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The service account key file FCM's adapter reads. */
    String serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                fcmServiceAccount.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        return new JsonObject().put("type", "service_account").put("client_email", "push@parley-test.iam.example")
                .put("private_key", pem).put("token_uri", base() + "/token").encode();
    }

    String apnsKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(apnsKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Override
    public void close() {
        Await.result(vertx.close());
    }
}
