package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.backup.BackupApi;
import io.parley.client.backup.BackupArchive;
import io.parley.client.backup.BackupCipher;
import io.parley.client.backup.MessageHistory;
import io.parley.client.cli.ClientMain;
import io.parley.node.ParleyNode;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted backup and restore through ./parley client against a real node (with a small size
 * cap, to test 413): history and settings made on one device come back on a newly linked one.
 */
class BackupCommandsTest {
    private static final int MAX_BYTES = 64 * 1024;
    private static ParleyNode node;

    @TempDir
    Path aliceState;

    @TempDir
    Path bobState;

    @TempDir
    Path bobNewPhone;

    @TempDir
    Path secrets;

    private Vertx vertx;
    private String alice;
    private String bob;
    private Path passphrase;

    private record Run(int code, String out, String err) {
        List<JsonObject> lines() {
            return out.lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
        }
    }

    @BeforeAll
    static void startNode() {
        node = TestNode.start(Map.of("backup.maxBytes", String.valueOf(MAX_BYTES)));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        alice = Users.uniqueName("alice");
        bob = Users.uniqueName("bob");
        register(aliceState, alice);
        register(bobState, bob);
        passphrase = Files.writeString(secrets.resolve("passphrase"), "correct horse battery staple\n");
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void restoreOnANewlyLinkedDeviceBringsHistoryAndSettingsBack() {
        assertThat(run(aliceState, "send", "--to", bob, "hello bob").code()).isZero();
        assertThat(run(aliceState, "send", "--to", bob, "are you there?").code()).isZero();
        assertThat(run(bobState, "receive", "--wait", "1").lines()).hasSize(2);
        assertThat(run(bobState, "send", "--to", alice, "yes, here").code()).isZero();
        assertThat(run(bobState, "settings", "theme", "dark").code()).isZero();
        List<JsonObject> history = run(bobState, "history").lines();
        assertThat(history).extracting(l -> l.getString("direction") + " " + l.getString("text"))
                .containsExactly("in hello bob", "in are you there?", "out yes, here");

        Run backup = run(bobState, "backup", "--passphrase-file", passphrase.toString());
        assertThat(backup.code()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("backed up 3 messages");

        String code = run(bobState, "link-code").out().strip();
        Run linked = run(bobNewPhone, "link", "--code", code, "--device-name", "new phone");
        assertThat(linked.code()).as(linked.err()).isZero();
        assertThat(run(bobNewPhone, "history").lines()).as("a new device starts empty").isEmpty();

        Run restore = run(bobNewPhone, "restore", "--passphrase-file", passphrase.toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).contains("restored 3 messages and 1 settings");
        assertThat(run(bobNewPhone, "history").lines()).isEqualTo(history);
        assertThat(new JsonObject(run(bobNewPhone, "settings").out().strip()).getString("theme")).isEqualTo("dark");
        assertThat(run(bobNewPhone, "restore", "--passphrase-file", passphrase.toString()).out())
                .as("restoring twice adds nothing").contains("restored 0 messages");
    }

    @Test
    void aWrongPassphraseIsRefusedWithAClearErrorAndChangesNothing() throws Exception {
        assertThat(run(bobState, "settings", "theme", "dark").code()).isZero();
        assertThat(run(bobState, "backup", "--passphrase-file", passphrase.toString()).code()).isZero();
        Path wrong = Files.writeString(secrets.resolve("wrong"), "incorrect horse battery staple\n");
        assertThat(run(bobState, "settings", "theme", "light").code()).isZero();

        Run restore = run(bobState, "restore", "--passphrase-file", wrong.toString());
        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err()).contains("wrong passphrase");
        assertThat(new JsonObject(run(bobState, "settings").out().strip()).getString("theme")).isEqualTo("light");
    }

    @Test
    void refusesShortPassphrasesAndRestoresWithoutABackup() throws Exception {
        Path weak = Files.writeString(secrets.resolve("weak"), "short\n");
        Run backup = run(bobState, "backup", "--passphrase-file", weak.toString());
        assertThat(backup.code()).isEqualTo(2);
        assertThat(backup.err()).contains("at least 8 characters");
        Run restore = run(aliceState, "restore", "--passphrase-file", passphrase.toString());
        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err()).contains("error 404", "no backup");
    }

    @Test
    void aBackupOverTheCapIsRefusedWith413AndTheOldOneStays() throws Exception {
        DeviceCredentials credentials = credentials(bobState);
        BackupApi api = new BackupApi(vertx, server(), credentials, new BackupCipher.Params(8 * 1024, 1, 1));
        UUID user = Ids.uuid(credentials.getUserId(), "user_id");
        Await.result(api.backup("correct horse".toCharArray(), new BackupArchive(user, 1, List.of(), new JsonObject())));
        List<MessageHistory.Entry> big = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            big.add(new MessageHistory.Entry(UUID.randomUUID(), true, user, UUID.randomUUID() + " " + UUID.randomUUID(), i));
        }
        Throwable refused = Await.failure(api.backup("correct horse".toCharArray(),
                new BackupArchive(user, 2, big, new JsonObject())));
        assertThat(((ParleyException) refused).code()).isEqualTo(413);
        assertThat(refused).hasMessageContaining("at most " + MAX_BYTES + " bytes");
        assertThat(Await.result(api.restore("correct horse".toCharArray())).createdMs()).as("the old backup").isEqualTo(1);

        HttpResponse<String> declared = TestHttp.CLIENT.send(TestHttp.request(server().url()
                        + "/v1/backup").header("Authorization", basic(credentials))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BYTES + 1])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(declared.body()).getInteger("code")).isEqualTo(413);
    }

    @Test
    void theBackupApiNeedsTheDevicesCredentials() throws Exception {
        DeviceCredentials credentials = credentials(bobState);
        for (String authorization : List.of("", "Bearer x", "Basic !!!", basic(credentials.toBuilder().setPassword("wrong").build()),
                "Basic " + java.util.Base64.getEncoder().encodeToString("no-dot:pw".getBytes()))) {
            HttpRequest.Builder request = TestHttp.request(server().url() + "/v1/backup").GET();
            if (!authorization.isEmpty()) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = TestHttp.CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
        }
        HttpResponse<String> empty = TestHttp.CLIENT.send(TestHttp.request(server().url() + "/v1/backup")
                .header("Authorization", basic(credentials)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(empty.statusCode()).isEqualTo(400);
    }

    private static String basic(DeviceCredentials c) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((Ids.uuid(c.getUserId(), "u") + "." + c.getDeviceId()
                + ":" + c.getPassword()).getBytes());
    }

    private static ServerAddress server() {
        return new ServerAddress("127.0.0.1", node.httpPort(), false);
    }

    private static DeviceCredentials credentials(Path state) throws Exception {
        JsonObject account = new JsonObject(Files.readString(state.resolve("account.json")));
        return DeviceCredentials.newBuilder().setUserId(Ids.bytes(UUID.fromString(account.getString("userId"))))
                .setDeviceId(account.getInteger("deviceId")).setPassword(account.getString("password")).build();
    }

    private void register(Path state, String name) {
        assertThat(run(state, "register", "--username", name).code()).isZero();
        Run registered = run(state, "register", "--username", name, "--code", TestNode.CODES.codeFor(name));
        assertThat(registered.code()).as(registered.err()).isZero();
    }

    private static Run run(Path state, String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--server", server().url(), "--state", state.toString()));
        args.addAll(List.of(command));
        int code = ClientMain.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
