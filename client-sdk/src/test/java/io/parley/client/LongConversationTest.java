package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A long encrypted conversation both ways at once through a real node: all sends queued up front, none lost. */
class LongConversationTest {
    private static final int MESSAGES = 10_000;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path folders;
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void tenThousandMessagesEachWayAllDecryptOnce() throws Exception {
        SecureDevice alice = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("alice")), folders.resolve("a"));
        SecureDevice bob = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("bob")), folders.resolve("b"));
        alice.send(bob, "start");
        Await.until(() -> bob.texts().contains("start"), "the session");
        bob.send(alice, "go");
        Await.until(() -> alice.texts().contains("go"), "the answer");
        alice.messages.clear();
        bob.messages.clear();
        long started = System.nanoTime();

        List<Future<?>> sends = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            sends.add(alice.secure.send(bob.user(), ("a" + i).getBytes(StandardCharsets.UTF_8)));
            sends.add(bob.secure.send(alice.user(), ("b" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Future.all(sends).toCompletionStage().toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        org.slf4j.LoggerFactory.getLogger(LongConversationTest.class).info("all sends answered after {} s; received {} and {}",
                (System.nanoTime() - started) / 1_000_000_000, bob.messages.size(), alice.messages.size());
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (bob.messages.size() < MESSAGES || alice.messages.size() < MESSAGES) {
            assertThat(System.nanoTime()).as("every message to arrive in time").isLessThan(deadline);
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(new HashSet<>(bob.texts())).hasSize(MESSAGES).contains("a0", "a" + (MESSAGES - 1));
        assertThat(new HashSet<>(alice.texts())).hasSize(MESSAGES).contains("b0", "b" + (MESSAGES - 1));
        assertThat(alice.failures).isEmpty();
        assertThat(bob.failures).isEmpty();
        org.slf4j.LoggerFactory.getLogger(LongConversationTest.class)
                .info("{} encrypted messages each way in {} s", MESSAGES, String.format("%.1f", seconds));
    }
}
