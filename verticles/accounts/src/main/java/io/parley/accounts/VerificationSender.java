package io.parley.accounts;

import io.vertx.core.Future;

/**
 * Delivers a one-time verification code to the owner of a username or phone number. Pluggable:
 * a dev node logs it, automation reads it from a file, a deployment plugs in its SMS gateway.
 */
public interface VerificationSender {
    Future<Void> send(String identifier, String code);
}
