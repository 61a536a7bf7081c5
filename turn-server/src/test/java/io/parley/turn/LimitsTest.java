package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The failure limiter, the allocation quotas and the byte bucket, each on its own. */
class LimitsTest {
    private static final long MINUTE = 60_000;

    @Test
    void failuresBlockAnAddressForTheRestOfItsMinuteOnly() throws Exception {
        AuthFailureLimiter limiter = new AuthFailureLimiter(3);
        InetAddress guesser = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.blocked(guesser, 1000)).isFalse();
            limiter.failed(guesser, 1000 + i);
        }
        assertThat(limiter.blocked(guesser, 2000)).isTrue();
        assertThat(limiter.blocked(other, 2000)).isFalse();
        assertThat(limiter.blocked(guesser, 1000 + MINUTE)).isFalse();
        limiter.sweep(1000 + MINUTE);
        assertThat(limiter.trackedAddresses()).isZero();
    }

    @Test
    void quotasCountPerUserAndInTotalAndForgetAUserWithNoAllocation() {
        AtomicInteger live = new AtomicInteger();
        Quotas quotas = new Quotas(2, 3, 0, live);
        UserQuota[] granted = new UserQuota[1];
        assertThat(quotas.acquire("a", 0, granted)).isEqualTo(Quotas.Refusal.NONE);
        UserQuota a = granted[0];
        assertThat(quotas.acquire("a", 0, granted)).isEqualTo(Quotas.Refusal.NONE);
        assertThat(quotas.acquire("a", 0, granted)).isEqualTo(Quotas.Refusal.USER_QUOTA);
        assertThat(quotas.acquire("b", 0, granted)).isEqualTo(Quotas.Refusal.NONE);
        assertThat(quotas.acquire("c", 0, granted)).isEqualTo(Quotas.Refusal.SERVER_FULL);
        assertThat(live).hasValue(3);
        quotas.release(a);
        quotas.release(a);
        assertThat(quotas.users()).isEqualTo(1);
        assertThat(live).hasValue(1);
    }

    @Test
    void theByteBucketHoldsOneSecondAndRefillsWithTime() {
        long second = 1_000_000_000L;
        UserQuota quota = new UserQuota("u", 1000, 0);
        assertThat(quota.tryRelay(600, 0)).isTrue();
        assertThat(quota.tryRelay(600, 0)).isFalse();
        assertThat(quota.tryRelay(400, 0)).isTrue();
        assertThat(quota.tryRelay(500, second / 2)).isTrue();
        assertThat(quota.tryRelay(1, second / 2)).isFalse();
        assertThat(quota.tryRelay(1000, 10 * second)).isTrue(); // never more than one second's worth
        assertThat(quota.tryRelay(1, 10 * second)).isFalse();
    }

    @Test
    void peerPolicyAllowsConfiguredBlocksOnly() throws Exception {
        PeerPolicy policy = new PeerPolicy(java.util.List.of("127.0.0.0/8", "10.9.0.0/16"));
        assertThat(policy.permits(InetAddress.getByName("127.1.2.3"))).isTrue();
        assertThat(policy.permits(InetAddress.getByName("10.9.200.1"))).isTrue();
        assertThat(policy.permits(InetAddress.getByName("10.8.0.1"))).isFalse();
        assertThat(policy.permits(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(policy.permits(InetAddress.getByName("fd00::1"))).isFalse();
        assertThat(policy.permits(InetAddress.getByName("198.51.100.7"))).isTrue();
    }
}
