package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Caller;
import io.parley.bus.RestCredentials;
import io.parley.proto.TurnCredentials;
import io.parley.proto.TurnCredentialsRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The issuer signs for the caller, with the configured lifetime, and asks for the TURN URLs each time. */
class TurnCredentialIssuerTest {
    private static final String SECRET = "calls-test-turn-secret";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void signsTheCallersUserIdWithTheSharedSecretForTheConfiguredLifetime() {
        AtomicInteger asked = new AtomicInteger();
        CallsConfig config = new CallsConfig(SECRET, Duration.ofHours(2),
                () -> List.of("turn:203.0.113.5:" + (3478 + asked.getAndIncrement()) + "?transport=udp"));
        TurnCredentialIssuer issuer = new TurnCredentialIssuer(config, Clock.fixed(NOW, ZoneOffset.UTC));
        UUID user = UUID.randomUUID();

        TurnCredentials first = issuer.issue(new Caller(user, 1), TurnCredentialsRequest.getDefaultInstance()).result();
        TurnCredentials second = issuer.issue(new Caller(user, 2), TurnCredentialsRequest.getDefaultInstance()).result();

        long expiry = NOW.plus(Duration.ofHours(2)).getEpochSecond();
        assertThat(first.getUsername()).isEqualTo(expiry + ":" + user);
        assertThat(first.getPassword()).isEqualTo(new RestCredentials(SECRET).password(first.getUsername()));
        assertThat(first.getPassword()).isNotEqualTo(new RestCredentials("another-secret-of-16").password(first.getUsername()));
        assertThat(first.getExpiresAtMs()).isEqualTo(expiry * 1000);
        assertThat(first.getUrlsList()).containsExactly("turn:203.0.113.5:3478?transport=udp");
        assertThat(second.getUrlsList()).containsExactly("turn:203.0.113.5:3479?transport=udp");
    }
}
