package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.signal.ContentTypes;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged ciphertexts reach the receiving SDK through the real node: each is refused with a clear
 * error, and the session store is left as it was (byte for byte), so the conversation goes on.
 */
class SecureBadInputTest {
    @TempDir
    Path folders;
    private Vertx vertx;
    private SecureDevice alice;
    private SecureDevice bob;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("alice")), folders.resolve("alice"));
        bob = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("bob")), folders.resolve("bob"));
        alice.send(bob, "hello");
        Await.until(() -> bob.texts().contains("hello"), "the first message");
        bob.send(alice, "hi");
        Await.until(() -> alice.texts().contains("hi"), "the answer");
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    /** Bob's session with alice as persisted: read by a second store opened on the same folder. */
    private byte[] bobsSessionWithAlice() {
        return io.parley.client.signal.FileSignalStore.open(bob.state.resolve("signal"))
                .loadSession(new org.signal.libsignal.protocol.SignalProtocolAddress(alice.user().toString(), 1)).serialize();
    }

    @Test
    void aTruncatedCiphertextIsRefusedAndTheSessionStillDecrypts() throws Exception {
        byte[] good = Ciphertexts.encrypt(alice, bob, 1, "whole-").get(0);
        assertThat(bobsSessionWithAlice()).isNotEmpty();

        Ciphertexts.rawSend(alice, bob, ContentTypes.SIGNAL_MESSAGE, Arrays.copyOf(good, good.length - 20));
        Await.until(() -> bob.failures.size() == 1, "the truncated message to be refused");

        assertThat(bob.failures.get(0).reason()).startsWith("cannot decrypt: InvalidMessageException");
        assertThat(bob.failures.get(0).sender()).isEqualTo(alice.user());
        assertThat(bob.failures.get(0).messageId().size()).isEqualTo(16);
        // The refusal asks alice for a session reset, which adds a fresh session over the old one
        // (kept as a previous state), so the file may change; what must hold is that nothing of
        // the old session was damaged: the intact message, encrypted on it, still decrypts.
        Ciphertexts.rawSend(alice, bob, ContentTypes.SIGNAL_MESSAGE, good);
        Await.until(() -> bob.texts().contains("whole-0"), "the intact message to decrypt after the damaged one");
    }

    @Test
    void aTamperedMacIsRefusedAndTheSenderIsAskedToResetTheSession() throws Exception {
        List<byte[]> messages = Ciphertexts.encrypt(alice, bob, 2, "signed-");
        byte[] tampered = messages.get(0).clone();
        tampered[tampered.length - 1] ^= 0x01;
        byte[] sessionBefore = bobsSessionWithAlice();

        Ciphertexts.rawSend(alice, bob, ContentTypes.SIGNAL_MESSAGE, tampered);
        Await.until(() -> bob.failures.size() == 1, "the tampered message to be refused");
        assertThat(bob.failures.get(0).reason()).startsWith("cannot decrypt: InvalidMessageException");
        assertThat(bob.failures.get(0).resetRequested()).isTrue();
        assertThat(bob.texts()).doesNotContain("signed-0");
        Await.until(() -> alice.resets.size() == 1, "alice to get bob's reset request");

        Ciphertexts.rawSend(alice, bob, ContentTypes.SIGNAL_MESSAGE, messages.get(1));
        Await.until(() -> bob.texts().contains("signed-1"), "a message of the old session, still readable");
        assertThat(sessionBefore).isNotEmpty();
        alice.send(bob, "on the new session");
        Await.until(() -> bob.texts().contains("on the new session"), "the conversation to go on");
    }

    @Test
    void aReplayedPrekeyMessageIsRefusedAsAReplay() throws Exception {
        SecureDevice carol = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("carol")), folders.resolve("carol"));
        List<io.parley.proto.Envelope> raw = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.client.onPush(p -> {
            if (p.hasEnvelope()) {
                raw.add(p.getEnvelope());
            }
        });
        carol.send(bob, "first contact");
        Await.until(() -> bob.texts().contains("first contact"), "carol's first message");
        assertThat(raw.get(0).getContentType()).isEqualTo(ContentTypes.PREKEY_MESSAGE);

        Ciphertexts.rawSend(carol, bob, ContentTypes.PREKEY_MESSAGE, raw.get(0).getContent().toByteArray());
        Await.until(() -> bob.failures.size() == 1, "the replay to be refused");
        assertThat(bob.failures.get(0).reason()).startsWith("replayed message");
        assertThat(bob.failures.get(0).resetRequested()).as("a replay is no reason to reset").isFalse();
        assertThat(bob.textsFrom(carol)).containsExactly("first contact");
        carol.send(bob, "second");
        Await.until(() -> bob.texts().contains("second"), "the session to go on");
    }

    @Test
    void garbageTaggedAsAPrekeyMessageIsRefused() {
        Ciphertexts.rawSend(alice, bob, ContentTypes.PREKEY_MESSAGE, new byte[] {0x33, 1, 2, 3, 4, 5});
        Await.until(() -> bob.failures.size() == 1, "the garbage to be refused");
        assertThat(bob.failures.get(0).reason()).startsWith("cannot decrypt:");
        alice.send(bob, "after the garbage");
        Await.until(() -> bob.texts().contains("after the garbage"), "the conversation to go on");
    }
}
