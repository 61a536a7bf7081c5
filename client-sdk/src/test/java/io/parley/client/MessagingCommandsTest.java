package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.cli.ClientMain;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Push;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The messaging commands of ./parley client (send, receive, read, presence, typing), in-process against the test node. */
class MessagingCommandsTest {
    private static final Pattern SENT = Pattern.compile("^sent ([0-9a-f-]{36}) at (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path aliceState;

    @TempDir
    Path bobState;

    private String alice;
    private String bob;
    private Vertx vertx;

    private record Run(int code, String out, String err) {
        List<JsonObject> lines() {
            return out.lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
        }
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = Users.uniqueName("alice");
        bob = Users.uniqueName("bob");
        register(aliceState, alice);
        register(bobState, bob);
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void sendReceiveAndReadMakeTheFullRoundOfReceipts() {
        Run sent = run(aliceState, "send", "--to", bob, "hello bob");
        assertThat(sent.code()).as(sent.err()).isZero();
        Matcher m = SENT.matcher(sent.out());
        assertThat(m.find()).as(sent.out()).isTrue();
        String id = m.group(1);

        Run received = run(bobState, "receive", "--wait", "1");
        assertThat(received.code()).as(received.err()).isZero();
        assertThat(received.lines()).singleElement().satisfies(line -> {
            assertThat(line.getString("kind")).isEqualTo("message");
            assertThat(line.getString("messageId")).isEqualTo(id);
            assertThat(line.getString("text")).isEqualTo("hello bob");
            assertThat(line.getString("from")).isEqualTo(userId(aliceState).toString());
        });
        assertThat(run(bobState, "receive", "--wait", "1").lines()).as("acked: nothing comes again").isEmpty();

        List<JsonObject> delivered = run(aliceState, "receive", "--wait", "1").lines();
        assertThat(delivered).singleElement().satisfies(line -> {
            assertThat(line.getString("kind")).isEqualTo("receipt");
            assertThat(line.getString("type")).isEqualTo("delivered");
            assertThat(line.getJsonArray("messageIds").getList()).containsExactly(id);
            assertThat(line.getString("from")).isEqualTo(userId(bobState).toString());
        });

        Run read = run(bobState, "read", "--id", id);
        assertThat(read.code()).as(read.err()).isZero();
        assertThat(read.out()).contains("read receipt sent for " + id);
        assertThat(run(aliceState, "receive", "--wait", "1").lines()).singleElement()
                .satisfies(line -> assertThat(line.getString("type")).isEqualTo("read"));
    }

    @Test
    void presenceShowsOnlineThenLastSeenAndTypingReachesTheOnlineDevice() {
        Device bobOnline = new Device(vertx, credentials(bobState));
        Await.until(() -> run(aliceState, "presence", bob).out().contains(bob + " online"), "bob to show online");

        Run typing = run(aliceState, "typing", "--to", bob);
        Await.until(() -> bobOnline.pushes.stream().anyMatch(Push::hasTyping), "bob's device to see alice typing");
        bobOnline.close();
        Await.until(() -> run(aliceState, "presence", bob).out().contains(bob + " offline, last seen 20"),
                "bob to show offline with a last seen time");

        assertThat(typing.code()).as(typing.err()).isZero();
        assertThat(typing.out()).contains("typing sent to " + bob);
        Push push = bobOnline.pushes.stream().filter(Push::hasTyping).findFirst().orElseThrow();
        assertThat(push.getTyping().getFromUser()).isEqualTo(Ids.bytes(userId(aliceState)));
        assertThat(push.getTyping().getTyping()).isTrue();
        Run json = run(aliceState, "--json", "presence", bob);
        assertThat(new JsonObject(json.out().strip()).getBoolean("online")).isFalse();
        assertThat(new JsonObject(json.out().strip()).getLong("lastSeenMs")).isPositive();
    }

    @Test
    void messagingCommandsPrintErrorsWithCodes() {
        Run unknownUser = run(aliceState, "send", "--to", Users.uniqueName("nobody"), "hi");
        Run notReceived = run(aliceState, "read", "--id", UUID.randomUUID().toString());
        Run notAnId = run(aliceState, "read", "--id", "12");
        Run badWait = run(aliceState, "receive", "--wait", "0");
        Run typingToSelf = run(aliceState, "typing", "--to", alice);

        assertThat(unknownUser.code()).isEqualTo(1);
        assertThat(unknownUser.err()).contains("error 404: no such user");
        assertThat(notReceived.code()).isEqualTo(1);
        assertThat(notReceived.err()).contains("run receive first");
        assertThat(notAnId.code()).isEqualTo(2);
        assertThat(badWait.code()).isEqualTo(2);
        assertThat(typingToSelf.code()).isEqualTo(1);
        assertThat(typingToSelf.err()).contains("error 400: typing goes to another user");
    }

    private void register(Path state, String name) {
        assertThat(run(state, "register", "--username", name).code()).isZero();
        Run registered = run(state, "register", "--username", name, "--code", TestNode.CODES.codeFor(name));
        assertThat(registered.code()).as(registered.err()).isZero();
    }

    private static DeviceCredentials credentials(Path state) {
        JsonObject account = account(state);
        return DeviceCredentials.newBuilder().setUserId(Ids.bytes(UUID.fromString(account.getString("userId"))))
                .setDeviceId(account.getInteger("deviceId")).setPassword(account.getString("password")).build();
    }

    private static UUID userId(Path state) {
        return UUID.fromString(account(state).getString("userId"));
    }

    private static JsonObject account(Path state) {
        try {
            return new JsonObject(Files.readString(state.resolve("account.json")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Run run(Path state, String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[command.length + 4];
        args[0] = "--server";
        args[1] = TestNode.address().url();
        args[2] = "--state";
        args[3] = state.toString();
        System.arraycopy(command, 0, args, 4, command.length);
        int code = ClientMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
