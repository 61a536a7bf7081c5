package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.signal.ContentTypes;
import io.parley.proto.Envelope;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end encrypted messaging between SDK clients through a real node: sessions, devices, state. */
class SecureMessagingTest {
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

    private SecureDevice register(String name) {
        return new SecureDevice(vertx, Users.register(vertx, Users.uniqueName(name)), folders.resolve(name));
    }

    @Test
    void firstContactBuildsAPqxdhSessionAndBothSidesDecrypt() {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        List<Envelope> raw = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.client.onPush(p -> {
            if (p.hasEnvelope()) {
                raw.add(p.getEnvelope());
            }
        });

        alice.send(bob, "hello bob");
        Await.until(() -> bob.texts().contains("hello bob"), "bob to decrypt the first message");
        bob.send(alice, "hello alice");
        Await.until(() -> alice.texts().contains("hello alice"), "alice to decrypt the answer");
        alice.send(bob, "second");
        Await.until(() -> bob.texts().contains("second"), "the ratchet's next message");

        assertThat(raw.get(0).getContentType()).as("the first message carries the PQXDH setup")
                .isEqualTo(ContentTypes.PREKEY_MESSAGE);
        assertThat(raw.get(0).getContent().toStringUtf8()).doesNotContain("hello bob");
        assertThat(raw.get(raw.size() - 1).getContentType()).as("once answered, plain ratchet messages")
                .isEqualTo(ContentTypes.SIGNAL_MESSAGE);
        assertThat(bob.messages.get(0).sender()).isEqualTo(alice.user());
        assertThat(bob.messages.get(0).conversation()).isEqualTo(alice.user());
        assertThat(bob.failures).isEmpty();
        assertThat(alice.failures).isEmpty();
        assertThat(alice.published.getPreKeys()).isEqualTo(100);
        assertThat(alice.published.getKyberPreKeys()).isEqualTo(100);
    }

    @Test
    void keepsItsStateInOwnerOnlyFilesAndResumesAfterARestart() throws IOException {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        alice.send(bob, "before restart");
        Await.until(() -> bob.texts().contains("before restart"), "the first message");
        bob.close();

        SecureDevice bobAgain = new SecureDevice(vertx, bob.credentials, bob.state);
        alice.send(bobAgain, "after restart");
        Await.until(() -> bobAgain.texts().contains("after restart"), "a message on the restored session");
        bobAgain.send(alice, "reply after restart");
        Await.until(() -> alice.texts().contains("reply after restart"), "the reply");

        assertThat(bobAgain.failures).isEmpty();
        assertThat(bobAgain.published.getPreKeys()).as("no new upload on restart: 100 minus the one alice took")
                .isEqualTo(99);
        try (Stream<Path> files = Files.walk(bob.state.resolve("signal"))) {
            files.forEach(file -> {
                try {
                    String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                    assertThat(permissions).as(file.toString()).isIn("rw-------", "rwx------");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
