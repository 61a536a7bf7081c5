package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ClientMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./parley client group ... and broadcast ..., run in-process against the test node. */
class GroupCommandsTest {
    @TempDir
    Path alice;

    @TempDir
    Path bob;

    @TempDir
    Path carol;

    private record Run(int code, String out, String err) {
    }

    private Run run(Path state, String... command) {
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

    private Run ok(Path state, String... command) {
        Run run = run(state, command);
        assertThat(run.code()).as(String.join(" ", command) + ": " + run.err()).isZero();
        return run;
    }

    private String register(Path state) {
        String name = Users.uniqueName("cli");
        ok(state, "register", "--username", name);
        ok(state, "register", "--username", name, "--code", TestNode.CODES.codeFor(name));
        return name;
    }

    @Test
    void createsAGroupSendsToItAndTheOthersReceiveJsonLines() {
        String aliceName = register(alice);
        String bobName = register(bob);
        String carolName = register(carol);

        JsonObject created = new JsonObject(ok(alice, "--json", "group", "create", "climbing", "--member", bobName).out().strip());
        String group = created.getString("groupId");
        ok(alice, "group", "add", group, carolName);
        Run sent = ok(alice, "--json", "group", "send", group, "rope at 9");
        List<String> bobLines = ok(bob, "group", "receive").out().strip().lines().toList();
        Run carolReceived = ok(carol, "group", "receive");
        Run info = ok(bob, "group", "info", group);
        ok(bob, "group", "send", group, "see you there");
        Run aliceReceived = ok(alice, "group", "receive");
        Run left = ok(carol, "group", "leave", group);
        Run byCarol = run(carol, "group", "send", group, "still here?");

        assertThat(created.getJsonArray("members")).hasSize(2);
        assertThat(new JsonObject(sent.out().strip()).getString("type")).isEqualTo("sent");
        assertThat(bobLines).singleElement().satisfies(line -> {
            JsonObject message = new JsonObject(line);
            assertThat(message.getString("type")).isEqualTo("group");
            assertThat(message.getString("groupId")).isEqualTo(group);
            assertThat(message.getString("text")).isEqualTo("rope at 9");
        });
        assertThat(carolReceived.out()).contains("rope at 9");
        assertThat(info.out()).contains("climbing").contains("3 members").contains("admin");
        assertThat(aliceReceived.out()).contains("see you there").contains(group);
        assertThat(left.out()).contains("left " + group);
        assertThat(byCarol.code()).isEqualTo(1);
        assertThat(byCarol.err()).contains("error 403");
        assertThat(aliceName).isNotEmpty();
    }

    @Test
    void invitesJoinsAndBroadcasts() {
        String aliceName = register(alice);
        String bobName = register(bob);
        String carolName = register(carol);
        String group = new JsonObject(ok(alice, "--json", "group", "create", "open").out().strip()).getString("groupId");

        String code = ok(alice, "group", "invite", group).out().strip();
        Run joined = ok(bob, "group", "join", code);
        ok(alice, "group", "invite", group, "--revoke");
        Run late = run(carol, "group", "join", code);
        ok(bob, "contacts", "add", aliceName);
        String list = new JsonObject(ok(alice, "--json", "broadcast", "create", "news", bobName, carolName).out().strip())
                .getString("listId");
        Run broadcast = ok(alice, "--json", "broadcast", "send", list, "hello all");
        Run usage = run(alice, "broadcast", "shout");

        assertThat(joined.out()).contains("joined " + group);
        assertThat(late.code()).isEqualTo(1);
        assertThat(late.err()).contains("error 410");
        JsonObject result = new JsonObject(broadcast.out().strip());
        assertThat(result.getJsonArray("sent")).hasSize(1);
        assertThat(result.getJsonArray("skipped")).hasSize(1);
        assertThat(usage.code()).isEqualTo(2);
    }
}
