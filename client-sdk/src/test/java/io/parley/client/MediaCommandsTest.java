package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.cli.ClientMain;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./parley client send --file, receive (files saved in the state folder) and the status commands, in-process. */
class MediaCommandsTest {
    @TempDir
    Path aliceState;

    @TempDir
    Path bobState;

    @TempDir
    Path carolState;

    @TempDir
    Path files;

    private String alice;
    private String bob;
    private String carol;

    private record Run(int code, String out, String err) {
        List<JsonObject> lines() {
            return out.lines().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
        }
    }

    @BeforeEach
    void setUp() {
        alice = Users.uniqueName("alice");
        bob = Users.uniqueName("bob");
        carol = Users.uniqueName("carol");
        register(aliceState, alice);
        register(bobState, bob);
        register(carolState, carol);
    }

    @Test
    void sendsAFileThatReceiveSavesInTheStateFolder() throws Exception {
        byte[] bytes = new byte[300_000];
        new Random(11).nextBytes(bytes);
        Path photo = Files.write(files.resolve("holiday.jpg"), bytes);

        Run sent = run(aliceState, "send", "--to", bob, "--file", photo.toString(), "look");
        assertThat(sent.code()).as(sent.err()).isZero();
        assertThat(sent.out()).startsWith("sent ");
        Run received = run(bobState, "receive", "--wait", "1");

        assertThat(received.code()).as(received.err()).isZero();
        JsonObject line = received.lines().get(0);
        assertThat(line.getString("text")).isEqualTo("look");
        Path saved = Path.of(line.getJsonArray("files").getString(0));
        assertThat(saved).startsWith(bobState.resolve("files")).hasFileName(line.getString("messageId") + "-holiday.jpg");
        assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
    }

    @Test
    void sendWithoutTextOrFileIsAUsageError() {
        Run run = run(aliceState, "send", "--to", bob);
        assertThat(run.code()).isEqualTo(2);
    }

    @Test
    void postsListsViewsAndCountsViewersOfAStatus() throws Exception {
        assertThat(run(aliceState, "contacts", "add", bob).code()).isZero();
        assertThat(run(aliceState, "contacts", "add", carol).code()).isZero();
        byte[] bytes = new byte[40_000];
        new Random(12).nextBytes(bytes);
        Path picture = Files.write(files.resolve("sunset.png"), bytes);

        Run posted = run(aliceState, "--json", "status", "post", "evening", "--file", picture.toString(), "--except", carol);
        assertThat(posted.code()).as(posted.err()).isZero();
        String post = posted.lines().get(0).getString("postId");
        Run listed = run(bobState, "--json", "status", "list");
        Run viewed = run(bobState, "--json", "status", "view", post);
        Run viewedAgain = run(bobState, "--json", "status", "view", post);
        Run refused = run(carolState, "status", "view", post);
        Run viewers = run(aliceState, "--json", "status", "viewers", post);
        Run reply = run(bobState, "status", "reply", post, "lovely");

        assertThat(listed.lines()).extracting(l -> l.getString("postId")).contains(post);
        assertThat(viewed.code()).as(viewed.err()).isZero();
        assertThat(viewed.lines().get(0).getString("text")).isEqualTo("evening");
        assertThat(Files.readAllBytes(Path.of(viewed.lines().get(0).getJsonArray("files").getString(0)))).isEqualTo(bytes);
        assertThat(viewedAgain.lines().get(0).getString("text")).as("kept decrypted in the state folder").isEqualTo("evening");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("error 404");
        assertThat(viewers.lines()).singleElement().satisfies(v -> assertThat(v.getString("user")).isNotBlank());
        assertThat(reply.code()).as(reply.err()).isZero();
        List<JsonObject> aliceGot = run(aliceState, "receive", "--wait", "1").lines();
        assertThat(aliceGot).anySatisfy(l -> {
            assertThat(l.getString("text")).isEqualTo("lovely");
            assertThat(l.getString("statusReplyTo")).isEqualTo(post);
        });
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
