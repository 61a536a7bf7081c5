package io.parley.client.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal replays its changes in order, keeps one write's batch together, and compacts past its limit. */
class JournalTest {
    @TempDir
    Path folder;

    @Test
    void aBatchIsReplayedInOrderAndTheLastChangeOfANameWins() {
        Journal journal = new Journal(folder.resolve("j"), records -> { });
        journal.open();
        Map<String, Optional<byte[]>> batch = new LinkedHashMap<>();
        batch.put("a", Optional.of(new byte[] {1}));
        batch.put("b", Optional.of(new byte[] {2}));
        journal.appendAll(batch);
        journal.append("a", new byte[] {3});
        journal.append("b", null);

        Journal reopened = new Journal(folder.resolve("j"), records -> { });
        reopened.open();
        assertThat(reopened.changes()).containsOnlyKeys("a", "b");
        assertThat(reopened.changes().get("a")).contains(new byte[] {3});
        assertThat(reopened.changes().get("b")).isEmpty();
    }

    @Test
    void pastItsLimitTheRecordsAreWrittenOutAndTheJournalStartsEmpty() throws Exception {
        Map<String, Optional<byte[]>> writtenOut = new LinkedHashMap<>();
        Journal journal = new Journal(folder.resolve("j"), writtenOut::putAll, 1_000);
        journal.open();
        for (int i = 0; i < 20; i++) {
            journal.append("key", record(i));
        }
        // 20 records of 79 bytes: the journal passed 1,000 bytes at the 13th and was emptied then.
        assertThat(writtenOut).containsOnlyKeys("key");
        assertThat(writtenOut.get("key").orElseThrow()[0]).isEqualTo((byte) 12);
        assertThat(Files.size(folder.resolve("j"))).isEqualTo(7 * 79);
        Journal reopened = new Journal(folder.resolve("j"), records -> { });
        reopened.open();
        assertThat(reopened.changes().get("key").orElseThrow()[0]).isEqualTo((byte) 19);
    }

    private static byte[] record(int marker) {
        byte[] record = new byte[60];
        record[0] = (byte) marker;
        return record;
    }
}
