package io.parley.web.browser;

import io.parley.accounts.VerificationSender;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The test node's verification sender: keeps the last code sent to each identifier for the test to read. */
final class CodeBox implements VerificationSender {
    private final Map<String, String> codes = new ConcurrentHashMap<>();

    @Override
    public Future<Void> send(String identifier, String code) {
        codes.put(identifier, code);
        return Future.succeededFuture();
    }

    String codeFor(String identifier) {
        String code = codes.get(identifier);
        if (code == null) {
            throw new AssertionError("no code was sent to " + identifier);
        }
        return code;
    }
}
