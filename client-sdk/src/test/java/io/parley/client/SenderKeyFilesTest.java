package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;

/**
 * The sender-key store keeps its keys and distributions across reopenings through its journal
 * (no file created per message), reads the files of an earlier version, and survives a torn write.
 */
class SenderKeyFilesTest {
    @TempDir
    Path state;

    private final Vertx vertx = Vertx.vertx();
    private final SignalProtocolAddress alice = new SignalProtocolAddress(UUID.randomUUID().toString(), 1);
    private final SignalProtocolAddress bob = new SignalProtocolAddress(UUID.randomUUID().toString(), 2);
    private final UUID distribution = UUID.randomUUID();

    @AfterEach
    void close() {
        Await.result(vertx.close());
    }

    @Test
    void keysAndDistributionsSurviveReopeningWithOneJournalAndNoFilePerMessage() throws Exception {
        SenderKeyFiles sender = SenderKeyFiles.open(vertx, state.resolve("alice"));
        SenderKeyFiles receiver = SenderKeyFiles.open(vertx, state.resolve("bob"));
        SenderKeyDistributionMessage handout = new GroupSessionBuilder(sender).create(alice, distribution);
        new GroupSessionBuilder(receiver).process(alice, handout);
        UUID group = UUID.randomUUID();
        sender.saveDistribution(group, new SenderKeyFiles.Distribution(distribution, Set.of(bob.getName() + ".2")));
        for (int i = 0; i < 50; i++) {
            assertThat(open(receiver, seal(sender, "message " + i))).isEqualTo("message " + i);
        }
        Await.result(sender.flush());
        Await.result(receiver.flush());

        try (Stream<Path> files = Files.list(state.resolve("bob").resolve("sender-keys"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("changes.journal");
        }
        SenderKeyFiles reopened = SenderKeyFiles.open(vertx, state.resolve("alice"));
        assertThat(reopened.distribution(group).orElseThrow().sentTo()).containsExactly(bob.getName() + ".2");
        byte[] next = seal(reopened, "after reopening");
        assertThat(open(SenderKeyFiles.open(vertx, state.resolve("bob")), next)).isEqualTo("after reopening");
    }

    @Test
    void theFilesOfTheEarlierLayoutAreRead() throws Exception {
        SenderKeyFiles sender = SenderKeyFiles.open(vertx, state.resolve("alice"));
        SenderKeyDistributionMessage handout = new GroupSessionBuilder(sender).create(alice, distribution);
        Path folder = Files.createDirectories(state.resolve("bob").resolve("sender-keys"));
        SenderKeyFiles scratch = SenderKeyFiles.open(vertx, state.resolve("scratch"));
        new GroupSessionBuilder(scratch).process(alice, handout);
        // Before the journal, each key was a file named sender.device.distribution.key.
        Files.write(folder.resolve(alice.getName() + "." + alice.getDeviceId() + "." + distribution + ".key"),
                scratch.loadSenderKey(alice, distribution).serialize());

        byte[] message = seal(sender, "hello");
        assertThat(open(SenderKeyFiles.open(vertx, state.resolve("bob")), message)).isEqualTo("hello");
    }

    @Test
    void aTornLastWriteIsDroppedAndTheKeyBeforeItKept() throws Exception {
        SenderKeyFiles receiver = SenderKeyFiles.open(vertx, state.resolve("bob"));
        SenderKeyFiles sender = SenderKeyFiles.open(vertx, state.resolve("alice"));
        new GroupSessionBuilder(receiver).process(alice, new GroupSessionBuilder(sender).create(alice, distribution));
        Await.result(receiver.flush());
        byte[] first = seal(sender, "one");
        open(receiver, first);
        Await.result(receiver.flush());
        Path journal = state.resolve("bob").resolve("sender-keys").resolve("changes.journal");
        try (FileChannel file = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            file.truncate(Files.size(journal) - 3);
        }

        // The key as handed out stands: it still decrypts the first message and the ones after it.
        SenderKeyFiles reopened = SenderKeyFiles.open(vertx, state.resolve("bob"));
        assertThat(open(reopened, first)).isEqualTo("one");
        assertThat(open(reopened, seal(sender, "two"))).isEqualTo("two");
    }

    /** Alice's group message under her sender key in this store. */
    private byte[] seal(SenderKeyFiles store, String text) throws Exception {
        return new GroupCipher(store, alice).encrypt(distribution, text.getBytes(StandardCharsets.UTF_8)).serialize();
    }

    /** A message of Alice's opened with the keys in this store. */
    private String open(SenderKeyFiles store, byte[] message) throws Exception {
        return new String(new GroupCipher(store, alice).decrypt(message), StandardCharsets.UTF_8);
    }
}
