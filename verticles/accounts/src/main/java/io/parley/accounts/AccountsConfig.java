package io.parley.accounts;

import java.time.Duration;

/** Limits and lifetimes of the accounts verticle. */
public record AccountsConfig(Duration codeTtl, Duration linkCodeTtl, int maxLinkedDevices, int maxCodeAttempts) {
    public static AccountsConfig defaults() {
        return new AccountsConfig(Duration.ofMinutes(10), Duration.ofMinutes(10), 4, 5);
    }
}
