package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.signal.ContentTypes;
import io.parley.client.signal.SecureMessenger;
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

    @Test
    void aLinkedDeviceJoiningLaterGetsLaterMessagesAndTheSenderLearnsOfItThrough409() {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        alice.send(bob, "before the tablet");
        Await.until(() -> bob.texts().contains("before the tablet"), "the phone to get the first message");

        SecureDevice tablet = new SecureDevice(vertx, Users.link(vertx, bob.client, "tablet"), folders.resolve("tablet"));
        assertThat(alice.secure.messenger().devicesOf(bob.user())).containsExactly(1);
        alice.send(bob, "after the tablet");

        Await.until(() -> tablet.texts().contains("after the tablet") && bob.texts().contains("after the tablet"),
                "both of bob's devices to decrypt the later message");
        assertThat(alice.secure.messenger().devicesOf(bob.user())).as("learnt from the 409").containsExactly(1, 2);
        assertThat(tablet.texts()).doesNotContain("before the tablet");

        bob.send(alice, "from the phone");
        Await.until(() -> alice.texts().contains("from the phone") && tablet.texts().contains("from the phone"),
                "alice and the tablet's sync copy");
        SecureMessenger.Incoming sync = tablet.messages.get(tablet.messages.size() - 1);
        assertThat(sync.sender()).isEqualTo(bob.user());
        assertThat(sync.senderDevice()).isEqualTo(1);
        assertThat(sync.conversation()).as("the sync copy names the other party").isEqualTo(alice.user());
        assertThat(tablet.failures).isEmpty();
        assertThat(bob.failures).isEmpty();
    }

    @Test
    void outOfOrderAndDuplicatedDeliveryDecryptsEachMessageOnce() throws Exception {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        alice.send(bob, "hello");
        Await.until(() -> bob.texts().contains("hello"), "the first message");
        bob.send(alice, "hi");
        Await.until(() -> alice.texts().contains("hi"), "the answer, which completes the session");

        List<byte[]> ciphertexts = Ciphertexts.encrypt(alice, bob, 40, "late-");
        List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, 40).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(7));
        for (int i : order) {
            Ciphertexts.rawSend(alice, bob, ContentTypes.SIGNAL_MESSAGE, ciphertexts.get(i));
        }
        Ciphertexts.rawSend(alice, bob, ContentTypes.SIGNAL_MESSAGE, ciphertexts.get(order.get(3)));

        Await.until(() -> bob.texts().size() == 41 && bob.failures.size() == 1, "40 messages and one refused duplicate");
        assertThat(bob.texts().subList(1, 41)).containsExactlyElementsOf(order.stream().map(i -> "late-" + i).toList());
        assertThat(bob.failures.get(0).reason()).startsWith("replayed message: DuplicateMessageException");
        assertThat(bob.failures.get(0).resetRequested()).isFalse();
        alice.send(bob, "still fine");
        Await.until(() -> bob.texts().contains("still fine"), "the session to go on");
    }

    @Test
    void exhaustedOneTimeKeysFallBackToTheLastResortKyberKey() {
        SecureDevice bob = new SecureDevice(vertx, Users.register(vertx, Users.uniqueName("bob")), folders.resolve("bob"),
                SecureMessenger.Options.defaults().withPreKeyBatch(2, false));
        List<SecureDevice> senders = List.of(register("s1"), register("s2"), register("s3"));
        senders.get(0).send(bob, "one");
        senders.get(1).send(bob, "two");
        Await.until(() -> bob.texts().size() == 2, "the first two sessions");
        io.parley.proto.KeyCounts left = Await.result(bob.secure.keys().counts());
        assertThat(left.getPreKeys()).isZero();
        assertThat(left.getKyberPreKeys()).isZero();

        List<Envelope> raw = new java.util.concurrent.CopyOnWriteArrayList<>();
        bob.client.onPush(p -> {
            if (p.hasEnvelope()) {
                raw.add(p.getEnvelope());
            }
        });
        senders.get(2).send(bob, "three");
        Await.until(() -> bob.texts().contains("three"), "a session on the last-resort key");
        assertThat(bob.pushes.stream().anyMatch(p -> p.hasKeysLow())).as("told its keys ran low").isTrue();
        assertThat(bob.failures).isEmpty();

        Ciphertexts.rawSend(senders.get(2), bob, ContentTypes.PREKEY_MESSAGE, raw.get(0).getContent().toByteArray());
        Await.until(() -> bob.failures.size() == 1, "the replayed first message to be refused");
        assertThat(bob.failures.get(0).reason()).startsWith("replayed message");
        assertThat(bob.texts()).containsExactly("one", "two", "three");

        SecureDevice topped = new SecureDevice(vertx, bob.credentials, bob.state,
                SecureMessenger.Options.defaults().withPreKeyBatch(20, true));
        assertThat(topped.published.getPreKeys()).as("replenished on connect").isEqualTo(20);
    }

    @Test
    void aLostSessionStoreIsRepairedByASessionReset() throws IOException {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        alice.send(bob, "hello");
        Await.until(() -> bob.texts().contains("hello"), "the first message");
        bob.send(alice, "hi");
        Await.until(() -> alice.texts().contains("hi"), "the answer");
        bob.close();
        Files.deleteIfExists(bob.state.resolve("signal").resolve("sessions.journal"));
        if (Files.isDirectory(bob.state.resolve("signal").resolve("sessions"))) {
            try (Stream<Path> sessions = Files.list(bob.state.resolve("signal").resolve("sessions"))) {
                for (Path session : sessions.toList()) {
                    Files.delete(session);
                }
            }
        }

        SecureDevice restored = new SecureDevice(vertx, bob.credentials, bob.state);
        alice.send(restored, "lost in the gap");
        Await.until(() -> restored.failures.size() == 1, "the undecryptable message to be reported");
        assertThat(restored.failures.get(0).reason()).contains("NoSessionException");
        assertThat(restored.failures.get(0).resetRequested()).isTrue();
        Await.until(() -> alice.resets.size() == 1, "alice to get the reset request");
        assertThat(alice.resets.get(0).user()).isEqualTo(bob.user());

        alice.send(restored, "after the reset");
        Await.until(() -> restored.texts().contains("after the reset"), "the next message to decrypt");
        restored.send(alice, "and back");
        Await.until(() -> alice.texts().contains("and back"), "the reply on the new session");
        assertThat(alice.failures).isEmpty();
    }

    @Test
    void anIdentityChangeIsReportedAndChangesTheSafetyNumber() {
        SecureDevice alice = register("alice");
        SecureDevice bob = register("bob");
        alice.send(bob, "hello");
        Await.until(() -> bob.texts().contains("hello"), "the first message");
        String before = Await.result(alice.secure.safetyNumber(bob.user()));
        assertThat(Await.result(bob.secure.safetyNumber(alice.user()))).as("both sides see the same number").isEqualTo(before);
        assertThat(before).matches("(\\d{5} ){11}\\d{5}");
        bob.close();

        SecureDevice reinstalled = new SecureDevice(vertx, bob.credentials, folders.resolve("bob-reinstalled"));
        reinstalled.send(alice, "new phone, same me");
        Await.until(() -> alice.texts().contains("new phone, same me"), "the message from the new identity");
        Await.until(() -> alice.identityChanges.size() == 1, "the identity change warning");
        assertThat(alice.identityChanges.get(0).user()).isEqualTo(bob.user());
        assertThat(alice.identityChanges.get(0).device()).isEqualTo(1);
        assertThat(alice.identityChanges.get(0).current())
                .isEqualTo(reinstalled.secure.store().getIdentityKeyPair().getPublicKey());

        String after = Await.result(alice.secure.safetyNumber(bob.user()));
        assertThat(after).isNotEqualTo(before);
        assertThat(Await.result(reinstalled.secure.safetyNumber(alice.user()))).isEqualTo(after);
        alice.send(reinstalled, "welcome back");
        Await.until(() -> reinstalled.texts().contains("welcome back"), "alice's answer on the new session");
    }
}
