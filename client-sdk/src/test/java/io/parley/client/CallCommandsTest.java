package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ClientMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./parley client call, answer and call-history, two command-line clients against the test node at once. */
class CallCommandsTest {
    @TempDir
    Path aliceState;

    @TempDir
    Path bobState;

    private String alice;
    private String bob;

    private record Run(int code, String out, String err) {
        List<JsonObject> lines() {
            return out.lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
        }
    }

    @BeforeEach
    void setUp() {
        alice = Users.uniqueName("alice");
        bob = Users.uniqueName("bob");
        register(aliceState, alice);
        register(bobState, bob);
    }

    @Test
    void oneClientCallsTheOtherAnswersAndBothHistoriesShowTheCall() throws Exception {
        CompletableFuture<Run> answering = CompletableFuture.supplyAsync(() -> run(bobState, "--json", "answer", "--wait", "30"));

        Run calling = run(aliceState, "--json", "call", bob, "--wait", "30", "--hang-up-after", "1");
        Run answered = answering.get(60, TimeUnit.SECONDS);

        assertThat(calling.code()).as(calling.err()).isZero();
        assertThat(calling.lines()).extracting(l -> l.getString("event")).containsExactly("calling", "answered", "hung-up");
        assertThat(answered.code()).as(answered.err()).isZero();
        assertThat(answered.lines()).extracting(l -> l.getString("event")).containsExactly("answered", "ended");
        assertThat(answered.lines().get(1).getString("outcome")).isEqualTo("answered");
        String callId = calling.lines().get(0).getString("callId");
        assertThat(answered.lines().get(0).getString("callId")).isEqualTo(callId);

        List<JsonObject> mine = run(aliceState, "--json", "call-history").lines();
        List<JsonObject> theirs = run(bobState, "--json", "call-history").lines();
        assertThat(mine).singleElement().satisfies(r -> {
            assertThat(r.getString("callId")).isEqualTo(callId);
            assertThat(r.getBoolean("outgoing")).isTrue();
            assertThat(r.getString("outcome")).isEqualTo("answered");
            assertThat(r.getLong("durationMs")).isPositive();
        });
        assertThat(theirs).singleElement().satisfies(r -> assertThat(r.getBoolean("outgoing")).isFalse());
    }

    @Test
    void aRejectedCallSaysSoAndBadOptionsAreUsageErrors() throws Exception {
        CompletableFuture<Run> rejecting = CompletableFuture.supplyAsync(() -> run(bobState, "answer", "--reject", "--wait", "30"));

        Run calling = run(aliceState, "call", bob, "--wait", "30");
        Run rejected = rejecting.get(60, TimeUnit.SECONDS);

        assertThat(calling.out()).contains("not answered: rejected");
        assertThat(rejected.out()).contains("rejected a call from");
        assertThat(run(aliceState, "call", "nobody_" + alice).err()).contains("error 404");
        assertThat(run(aliceState, "call", bob, "--wait", "0").code()).isEqualTo(2);
        assertThat(run(aliceState, "call-history", "--limit", "101").code()).isEqualTo(2);
        assertThat(run(aliceState, "call-history").out()).contains("outgoing voice").contains("rejected");
    }

    @Test
    void aCallNobodyAnswersIsAMissedCallInTheCalleesReceive() {
        Run calling = run(aliceState, "--json", "call", bob, "--wait", "1");

        assertThat(calling.lines()).extracting(l -> l.getString("event")).containsExactly("calling", "no-answer");
        assertThat(calling.lines().get(0).getInteger("devicesRung")).as("bob is offline").isZero();
        List<JsonObject> received = run(bobState, "--json", "receive", "--wait", "1").lines();
        assertThat(received).singleElement().satisfies(line -> {
            assertThat(line.getString("kind")).isEqualTo("system");
            assertThat(line.getJsonObject("call").getString("callId")).isEqualTo(calling.lines().get(0).getString("callId"));
            assertThat(line.getJsonObject("call").getString("outcome")).isEqualTo("missed");
        });
        assertThat(run(bobState, "--json", "call-history").lines()).singleElement()
                .satisfies(r -> assertThat(r.getString("outcome")).isEqualTo("missed"));
    }

    private void register(Path state, String name) {
        assertThat(run(state, "register", "--username", name).code()).isZero();
        Run registered = run(state, "register", "--username", name, "--code", TestNode.CODES.codeFor(name));
        assertThat(registered.code()).as(registered.err()).isZero();
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
