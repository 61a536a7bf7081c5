package io.parley.accounts;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * For scripts and benchmarks on a dev node: appends "identifier code" lines to a file, which a
 * script reads to finish a registration without a person.
 */
public final class FileVerificationSender implements VerificationSender {
    private final Vertx vertx;
    private final Path file;

    public FileVerificationSender(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
    }

    @Override
    public Future<Void> send(String identifier, String code) {
        return vertx.executeBlocking(() -> {
            append(identifier + " " + code + "\n");
            return null;
        }, true);
    }

    private synchronized void append(String line) throws IOException {
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
