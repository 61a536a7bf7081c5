package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ClientMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line client behind ./parley client, run in-process against the test node. */
class ClientCommandsTest {
    @TempDir
    Path phone;

    @TempDir
    Path laptop;

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

    @Test
    void registersLinksListsAndRemovesDevices() {
        String name = Users.uniqueName("cli");
        Run asked = run(phone, "register", "--username", name);
        Run registered = run(phone, "register", "--username", name, "--code", TestNode.CODES.codeFor(name));
        Run whoami = run(phone, "whoami");
        String code = run(phone, "link-code").out().strip();
        Run linked = run(laptop, "link", "--code", code, "--device-name", "laptop");
        Run devices = run(phone, "devices");
        Run removed = run(phone, "devices", "remove", "2");
        Run after = run(phone, "--json", "devices");

        assertThat(asked.code()).isZero();
        assertThat(asked.out()).contains("verification code sent");
        assertThat(registered.out()).startsWith("registered: user ").contains("device 1");
        assertThat(whoami.out()).startsWith(name + " (user ").contains("device 1");
        assertThat(linked.out()).contains("linked:").contains("device 2");
        assertThat(devices.out()).contains("1  cli  (primary)").contains("2  laptop");
        assertThat(removed.out()).contains("removed device 2");
        assertThat(after.out().strip().lines()).hasSize(1).allMatch(l -> l.contains("\"deviceId\":1"));
        Run revoked = run(laptop, "whoami");
        assertThat(revoked.code()).isEqualTo(1);
        assertThat(revoked.err()).contains("error 401");
    }

    @Test
    void managesContactsAndBlocks() {
        String me = Users.uniqueName("cli");
        String friend = Users.uniqueName("friend");
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        Users.register(vertx, friend);
        vertx.close();
        assertThat(run(phone, "register", "--username", me).code()).isZero();
        Run registered = run(phone, "register", "--username", me, "--code", TestNode.CODES.codeFor(me));
        assertThat(registered.code()).as(registered.err()).isZero();

        assertThat(run(phone, "contacts", "add", friend).out()).contains(friend);
        assertThat(run(phone, "contacts", "list").out()).contains(friend);
        assertThat(run(phone, "contacts", "remove", friend).out()).contains("removed " + friend);
        assertThat(run(phone, "contacts", "list").out()).doesNotContain(friend);
        assertThat(run(phone, "block", friend).out()).contains("blocked " + friend);
    }

    @Test
    void printsErrorsWithCodesAndExitsNonZero() {
        String me = Users.uniqueName("cli");
        assertThat(run(phone, "register", "--username", me).code()).isZero();
        Run registered = run(phone, "register", "--username", me, "--code", TestNode.CODES.codeFor(me));
        assertThat(registered.code()).as(registered.err()).isZero();

        Run unknown = run(phone, "contacts", "add", Users.uniqueName("nobody"));
        Run noState = run(laptop, "whoami");
        Run badUsage = run(phone, "contacts", "shout", "x");
        Run unknownCommand = run(phone, "teleport");

        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("error 404: no such user");
        assertThat(noState.code()).isEqualTo(1);
        assertThat(noState.err()).contains("register or link first");
        assertThat(badUsage.code()).isEqualTo(2);
        assertThat(unknownCommand.code()).isEqualTo(2);
    }

    @Test
    void usesTheFirstServerOfAListThatAnswers() throws Exception {
        String me = Users.uniqueName("cli");
        run(phone, "register", "--username", me);
        assertThat(run(phone, "register", "--username", me, "--code", TestNode.CODES.codeFor(me)).code()).isZero();
        int closedPort;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = unused.getLocalPort();
        }

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClientMain.run(new String[] {"--server", "http://127.0.0.1:" + closedPort + "," + TestNode.address().url(),
                "--state", phone.toString(), "whoami"}, new PrintWriter(out, true), new PrintWriter(err, true));
        StringWriter deadErr = new StringWriter();
        int dead = ClientMain.run(new String[] {"--server", "http://127.0.0.1:" + closedPort, "--state", phone.toString(),
                "whoami"}, new PrintWriter(new StringWriter(), true), new PrintWriter(deadErr, true));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith(me + " (user ");
        assertThat(dead).isEqualTo(1);
        assertThat(deadErr.toString()).startsWith("error");
    }
}
