package io.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The admin API's bearer token: {@code admin.token} when configured (a cluster shares one), else
 * the one in {@code DATA/admin-token}, made on the first start and readable by its owner only,
 * which is where {@code ./parley admin} looks for it.
 */
final class AdminToken {
    static final String FILE = "admin-token";
    private static final int TOKEN_BYTES = 32;

    private AdminToken() {
    }

    static String resolve(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            byte[] random = new byte[TOKEN_BYTES];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
            return token;
        } catch (IOException e) {
            throw new NodeStartException("cannot read or write the admin token " + file + ": " + e.getMessage(), e);
        }
    }
}
