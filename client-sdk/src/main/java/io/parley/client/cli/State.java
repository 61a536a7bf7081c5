package io.parley.client.cli;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/** The command-line client's state folder: account.json holds this device's credentials, owner-only. */
final class State {
    private static final String ACCOUNT = "account.json";
    private final Path folder;

    State(Path folder) {
        this.folder = folder;
    }

    Optional<DeviceCredentials> credentials() throws IOException {
        Path file = folder.resolve(ACCOUNT);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonObject json = new JsonObject(Files.readString(file));
        return Optional.of(DeviceCredentials.newBuilder().setUserId(Ids.bytes(UUID.fromString(json.getString("userId"))))
                .setDeviceId(json.getInteger("deviceId")).setPassword(json.getString("password")).build());
    }

    String username() throws IOException {
        Path file = folder.resolve(ACCOUNT);
        return Files.exists(file) ? new JsonObject(Files.readString(file)).getString("username", "") : "";
    }

    /** Writes the credentials atomically, readable by the owner only. */
    void save(String server, String username, DeviceCredentials credentials) throws IOException {
        Files.createDirectories(folder);
        JsonObject json = new JsonObject().put("server", server).put("username", username)
                .put("userId", Ids.uuid(credentials.getUserId(), "user_id").toString())
                .put("deviceId", credentials.getDeviceId()).put("password", credentials.getPassword());
        Path temp = Files.createTempFile(folder, "account", ".tmp");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(temp, json.encodePrettily());
        Files.move(temp, folder.resolve(ACCOUNT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String id(ByteString userId) {
        return Ids.uuid(userId, "user_id").toString();
    }
}
