package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.node.AdminMain;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ./parley admin} (AdminMain) against a real node: listings, inbox depths, disabling an account. */
class AdminCommandsTest {
    private Vertx vertx;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void listsUsersDevicesAndInboxDepths() {
        String name = Users.uniqueName("dana");
        Device dana = new Device(vertx, Users.register(vertx, name));
        Device laptop = new Device(vertx, Users.link(vertx, dana.client, "laptop"));
        Device erin = new Device(vertx, Users.register(vertx, Users.uniqueName("erin")));
        laptop.close();
        for (int i = 0; i < 3; i++) {
            Await.result(erin.messenger.send(dana.user(), ("m" + i).getBytes(StandardCharsets.UTF_8)));
        }

        JsonObject devices = json("devices", name);
        assertThat(devices.getString("userId")).isEqualTo(dana.user().toString());
        assertThat(devices.getJsonArray("devices").stream().map(o -> (JsonObject) o)
                .map(d -> d.getInteger("deviceId") + ":" + d.getBoolean("connected")).toList())
                .containsExactly("1:true", "2:false");
        Await.until(() -> json("inbox", dana.user().toString()).getJsonArray("devices").stream()
                .map(o -> (JsonObject) o).anyMatch(d -> d.getInteger("deviceId") == 2 && d.getLong("envelopes") == 3),
                "the laptop's 3 waiting envelopes");

        List<String> seen = new ArrayList<>();
        String after = "";
        for (int page = 0; page < 1_000 && !seen.contains(dana.user().toString()); page++) {
            JsonObject users = after.isEmpty() ? json("users", "--limit", "500") : json("users", "--limit", "500", "--after", after);
            if (users.getJsonArray("users").isEmpty()) {
                break;
            }
            users.getJsonArray("users").forEach(o -> seen.add(((JsonObject) o).getString("userId")));
            after = seen.get(seen.size() - 1);
        }
        assertThat(seen).contains(dana.user().toString());
        assertThat(run("devices", name)).as("the table").isZero();
        assertThat(out.toString()).contains("laptop", "offline", "connected");
    }

    @Test
    void disablingAnAccountDisconnectsItsDevicesAndRefusesThemWith403() {
        String name = Users.uniqueName("frank");
        DeviceCredentials credentials = Users.register(vertx, name);
        Device frank = new Device(vertx, credentials);
        Device grace = new Device(vertx, Users.register(vertx, Users.uniqueName("grace")));

        JsonObject disabled = json("disable", name);
        assertThat(disabled.getBoolean("disabled")).isTrue();
        assertThat(disabled.getInteger("devicesDisconnected")).isEqualTo(1);
        Await.until(() -> Integer.valueOf(4403).equals(frank.client.finalCloseCode()), "frank's device to be closed with 4403");
        Throwable refused = Await.failure(ParleyClient.connect(vertx, TestNode.address(), credentials));
        assertThat(refused).isInstanceOf(ParleyException.class).hasMessageContaining("disabled");
        assertThat(((ParleyException) refused).code()).isEqualTo(403);
        Throwable unreachable = Await.failure(grace.messenger.send(frank.user(), "hi".getBytes(StandardCharsets.UTF_8)));
        assertThat(((ParleyException) unreachable).code()).as("a disabled account is no one's recipient").isEqualTo(404);
        assertThat(json("users", "--limit", "1000").getJsonArray("users").stream().map(o -> (JsonObject) o)
                .filter(u -> u.getString("userId").equals(frank.user().toString())).findFirst())
                .hasValueSatisfying(u -> assertThat(u.getBoolean("disabled")).isTrue());

        assertThat(json("enable", frank.user().toString()).getBoolean("disabled")).isFalse();
        ParleyClient again = Await.result(ParleyClient.connect(vertx, TestNode.address(), credentials));
        assertThat(again.isConnected()).isTrue();
    }

    @Test
    void refusesAWrongTokenAndUnknownAccountsAndBadInput() throws Exception {
        Path wrong = Files.createTempFile("admin-token", "");
        Files.writeString(wrong, "not-the-token-at-all");
        assertThat(run("--token-file", wrong.toString(), "users")).isEqualTo(1);
        assertThat(err.toString()).contains("error 401", "Bearer");
        err.reset();
        assertThat(run("devices", "nobody_" + ProcessHandle.current().pid())).isEqualTo(1);
        assertThat(err.toString()).contains("error 404", "no account");
        err.reset();
        assertThat(run("users", "--limit", "5000")).isEqualTo(1);
        assertThat(err.toString()).contains("error 400", "limit");
        err.reset();
        assertThat(run("explode")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'explode'");
    }

    private JsonObject json(String... command) {
        List<String> args = new ArrayList<>(List.of("--json"));
        args.addAll(List.of(command));
        out.reset();
        int code = run(args.toArray(String[]::new));
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        return new JsonObject(out.toString());
    }

    private int run(String... command) {
        List<String> args = new ArrayList<>(List.of("--server", "http://127.0.0.1:" + TestNode.get().httpPort(),
                "--data", TestNode.get().config().dataDir().toString()));
        args.addAll(List.of(command));
        out.reset();
        return AdminMain.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
