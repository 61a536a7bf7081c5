package io.parley.client.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.state.SessionRecord;

/** The file store keeps identity and sessions across reopenings and survives a torn journal write. */
class FileSignalStoreTest {
    @TempDir
    Path folder;

    private final SignalProtocolAddress peer = new SignalProtocolAddress(UUID.randomUUID().toString(), 3);

    @Test
    void identityRegistrationAndSessionsSurviveReopening() throws Exception {
        FileSignalStore first = FileSignalStore.open(folder);
        SessionRecord session = new SessionRecord();
        first.storeSession(peer, session);

        FileSignalStore again = FileSignalStore.open(folder);
        assertThat(again.getIdentityKeyPair().serialize()).isEqualTo(first.getIdentityKeyPair().serialize());
        assertThat(again.getLocalRegistrationId()).isEqualTo(first.getLocalRegistrationId());
        assertThat(again.loadSession(peer)).isNotNull();
        assertThat(again.getSubDeviceSessions(peer.getName())).containsExactly(3);
        again.deleteSession(peer);
        assertThat(FileSignalStore.open(folder).loadSession(peer)).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("sessions.journal"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("identity"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aTornLastJournalRecordIsDroppedAndTheStateBeforeItKept() throws IOException {
        FileSignalStore store = FileSignalStore.open(folder);
        store.storeSession(peer, new SessionRecord());
        long intact = Files.size(folder.resolve("sessions.journal"));
        store.deleteSession(peer);
        try (FileChannel journal = FileChannel.open(folder.resolve("sessions.journal"), StandardOpenOption.WRITE)) {
            journal.truncate(Files.size(folder.resolve("sessions.journal")) - 3);
        }

        FileSignalStore reopened = FileSignalStore.open(folder);
        assertThat(reopened.loadSession(peer)).as("the deletion was torn: the stored session stands").isNotNull();
        assertThat(Files.size(folder.resolve("sessions.journal"))).isEqualTo(intact);
    }
}
