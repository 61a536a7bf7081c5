package io.parley.accounts;

import java.time.Duration;

/** Limits and lifetimes of the accounts verticle. */
public record AccountsConfig(Duration codeTtl, Duration linkCodeTtl, int maxLinkedDevices, int maxCodeAttempts,
        int backupMaxBytes) {
    /** The largest encrypted backup an account may store unless configured otherwise. */
    public static final int DEFAULT_BACKUP_MAX_BYTES = 64 * 1024 * 1024;

    public AccountsConfig(Duration codeTtl, Duration linkCodeTtl, int maxLinkedDevices, int maxCodeAttempts) {
        this(codeTtl, linkCodeTtl, maxLinkedDevices, maxCodeAttempts, DEFAULT_BACKUP_MAX_BYTES);
    }

    public static AccountsConfig defaults() {
        return new AccountsConfig(Duration.ofMinutes(10), Duration.ofMinutes(10), 4, 5);
    }

    public AccountsConfig withBackupMaxBytes(int bytes) {
        return new AccountsConfig(codeTtl, linkCodeTtl, maxLinkedDevices, maxCodeAttempts, bytes);
    }
}
