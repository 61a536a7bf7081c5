package io.parley.client;

import io.parley.proto.DeviceCredentials;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RequestCodeRequest;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Registration against node processes that run the file verification sender: the code is read
 * from the file the node appends to ("NAME CODE" lines; the newest line for a name wins).
 */
final class CodeFile {
    private CodeFile() {
    }

    static DeviceCredentials register(Vertx vertx, ServerAddress server, Path codes, String prefix) {
        AccountsApi api = new AccountsApi(vertx, server, Users.HTTP_DEADLINE);
        String name = Users.uniqueName(prefix);
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(name).build()));
        Await.until(() -> codeOf(codes, name) != null, "a verification code for " + name);
        DeviceCredentials credentials = Await.result(api.register(RegisterRequest.newBuilder().setUsername(name)
                .setCode(codeOf(codes, name)).build()));
        api.close();
        return credentials;
    }

    private static String codeOf(Path codes, String name) {
        try {
            return Files.exists(codes) ? Files.readAllLines(codes).stream().filter(l -> l.startsWith(name + " "))
                    .reduce((a, b) -> b).map(l -> l.split(" ")[1]).orElse(null) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
