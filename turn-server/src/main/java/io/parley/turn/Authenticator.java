package io.parley.turn;

import io.parley.bus.RestCredentials;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.NonceAttribute;
import org.ice4j.attribute.RealmAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;

/**
 * The long-term credential mechanism (RFC 8489 section 9.2) with REST usernames: a request without
 * MESSAGE-INTEGRITY gets 401 with REALM and a signed NONCE; then the NONCE must be ours and fresh (else
 * 438), the username {@code expiry:userId} unexpired and the HMAC right (else 401, counted against the
 * source IP, whose further requests get 429 past the limit). Within an allocation the username may not change: a
 * Refresh, CreatePermission or ChannelBind with another username gets 441; an Allocate with another username is
 * checked against its own credentials and then gets 437 from {@link TurnRequests} (RFC 8656 section 7.2: the 5-tuple
 * is in use), the answer clients such as turnutils_uclient take as "open a new socket".
 */
final class Authenticator {
    /** The outcome of a successful check: who asks, and the key that signs the answer. */
    record Result(String username, String userId, byte[] key) {
    }

    private final RestCredentials credentials;
    private final NonceSigner nonces;
    private final AuthFailureLimiter limiter;
    private final String realm;
    private final TurnStats stats;
    private final Clock clock;

    Authenticator(RestCredentials credentials, NonceSigner nonces, AuthFailureLimiter limiter, String realm,
            TurnStats stats, Clock clock) {
        this.credentials = credentials;
        this.nonces = nonces;
        this.limiter = limiter;
        this.realm = realm;
        this.stats = stats;
        this.clock = clock;
    }

    /** Returns who asks, or null after answering the request with the error. */
    Result authenticate(Exchange in, Message request, int method) {
        InetAddress ip = in.path().remote.getAddress();
        long now = clock.millis();
        if (limiter.blocked(ip, now)) {
            reject(in, method, TurnError.TOO_MANY_REQUESTS, "too many failed authentications from this address", false);
            return null;
        }
        int miOffset = RawAttributes.integrityOffset(in.bytes(), in.length());
        if (miOffset < 0) {
            reject(in, method, TurnError.UNAUTHORIZED, "credentials required", true);
            return null;
        }
        if (!(request.getAttribute(Attribute.USERNAME) instanceof UsernameAttribute user)
                || !(request.getAttribute(Attribute.REALM) instanceof RealmAttribute givenRealm)
                || !(request.getAttribute(Attribute.NONCE) instanceof NonceAttribute givenNonce)) {
            reject(in, method, TurnError.BAD_REQUEST, "USERNAME, REALM and NONCE must come with MESSAGE-INTEGRITY", false);
            return null;
        }
        switch (nonces.check(text(givenNonce.getNonce()), ip.getHostAddress())) {
            case STALE -> {
                reject(in, method, TurnError.STALE_NONCE, "the nonce is stale", true);
                return null;
            }
            case INVALID -> {
                reject(in, method, TurnError.UNAUTHORIZED, "the nonce is not one of ours", true);
                return null;
            }
            default -> { }
        }
        String username = text(user.getUsername());
        Allocation allocation = in.slot().get();
        boolean sameUser = allocation != null && allocation.username.equals(username);
        if (allocation != null && !sameUser && method != Stun.ALLOCATE) {
            reject(in, method, TurnError.WRONG_CREDENTIALS, "the allocation belongs to another username", false);
            return null;
        }
        if (!realm.equals(text(givenRealm.getRealm()))) {
            return failed(in, method, ip, now, "unknown realm");
        }
        var parsed = RestCredentials.parse(username);
        if (parsed.isEmpty() || username.length() > RestCredentials.MAX_USERNAME_BYTES) {
            return failed(in, method, ip, now, "the username is not expiry:userId");
        }
        if (parsed.get().expiryEpochSecond() * 1000 < now) {
            return failed(in, method, ip, now, "the credential has expired");
        }
        byte[] key = sameUser ? allocation.key : credentials.longTermKey(username, realm);
        if (!Integrity.verify(in.bytes(), miOffset, key)) {
            return failed(in, method, ip, now, "wrong credentials");
        }
        return new Result(username, parsed.get().userId(), key);
    }

    private Result failed(Exchange in, int method, InetAddress ip, long now, String reason) {
        limiter.failed(ip, now);
        stats.authFailed();
        reject(in, method, TurnError.UNAUTHORIZED, reason, true);
        return null;
    }

    private void reject(Exchange in, int method, TurnError error, String reason, boolean challenge) {
        List<Attribute> attributes = challenge
                ? List.of(AttributeFactory.createRealmAttribute(realm.getBytes(StandardCharsets.UTF_8)),
                        AttributeFactory.createNonceAttribute(nonces.issue(in.path().remote.getAddress().getHostAddress())
                                .getBytes(StandardCharsets.US_ASCII)))
                : List.of();
        TurnRequests.reply(in, Replies.error(method, in.transactionId(), error, reason, attributes, null, in.hasFingerprint()));
    }

    void sweep(long nowMillis) {
        limiter.sweep(nowMillis);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
