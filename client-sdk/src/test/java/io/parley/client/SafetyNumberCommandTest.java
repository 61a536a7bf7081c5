package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ClientMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./parley client register publishes Signal keys; safety-number prints the same 60 digits on both sides. */
class SafetyNumberCommandTest {
    @TempDir
    Path alice;

    @TempDir
    Path bob;

    private String[] run(Path state, String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[command.length + 4];
        args[0] = "--server";
        args[1] = TestNode.address().url();
        args[2] = "--state";
        args[3] = state.toString();
        System.arraycopy(command, 0, args, 4, command.length);
        int code = ClientMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    private String register(Path state, String name) {
        run(state, "register", "--username", name);
        String[] registered = run(state, "register", "--username", name, "--code", TestNode.CODES.codeFor(name));
        assertThat(registered[0]).as(registered[2]).isEqualTo("0");
        return registered[1];
    }

    @Test
    void bothSidesPrintTheSameSafetyNumberAndUnknownUsersAre404() {
        String aliceName = Users.uniqueName("alice");
        String bobName = Users.uniqueName("bob");
        assertThat(register(alice, aliceName)).contains("published Signal keys: 100 one-time EC and 100 Kyber prekeys");
        register(bob, bobName);
        assertThat(Files.exists(alice.resolve("signal").resolve("identity"))).isTrue();

        String[] fromAlice = run(alice, "safety-number", bobName);
        String[] fromBob = run(bob, "safety-number", aliceName);
        String[] unknown = run(alice, "safety-number", Users.uniqueName("nobody"));

        assertThat(fromAlice[0]).as(fromAlice[2]).isEqualTo("0");
        assertThat(fromAlice[1].strip()).matches("(\\d{5} ){11}\\d{5}");
        assertThat(fromBob[1].strip()).isEqualTo(fromAlice[1].strip());
        assertThat(unknown[0]).isEqualTo("1");
        assertThat(unknown[2]).contains("error 404");
    }
}
