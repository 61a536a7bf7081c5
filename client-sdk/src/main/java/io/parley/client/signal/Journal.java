package io.parley.client.signal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The hot path of a store of small named records (Signal sessions, sender keys): every change is
 * one append to a journal file (name, record or deletion, CRC) instead of a file rewritten and
 * renamed per message (creating a file per message is what costs: the file system allocates an
 * inode each time). On open the journal is replayed over the store's own files; a torn last record
 * (a crash mid-write) fails its CRC and is dropped with everything after it. When the journal grows
 * past a limit, the records it holds are handed to the store's {@link WriteOut}, to be written to
 * their files, and it starts empty. Blocking and not thread-safe: the store calls it from one
 * thread at a time.
 */
public final class Journal {
    private static final long COMPACT_BYTES = 8L * 1024 * 1024;

    private final long compactBytes;

    /** Writes the journal's records (empty: deleted) to the store's own files, durably, before the journal is emptied. */
    @FunctionalInterface
    public interface WriteOut {
        void write(Map<String, Optional<byte[]>> records) throws IOException;
    }

    private final Path path;
    private final WriteOut writeOut;
    private final Map<String, Optional<byte[]>> pending = new LinkedHashMap<>();
    private FileChannel channel;

    /**
     * The usual write-out: each record to its own file in {@code folder} (owner-only), through a
     * temporary file forced to disk and a rename; an empty record deletes its file.
     */
    public static WriteOut filesIn(Path folder) {
        return records -> {
            StateFiles files = new StateFiles(folder);
            for (Map.Entry<String, Optional<byte[]>> record : records.entrySet()) {
                if (record.getValue().isPresent()) {
                    files.writeDurably("", record.getKey(), record.getValue().get());
                } else {
                    files.delete("", record.getKey());
                }
            }
        };
    }

    public Journal(Path path, WriteOut writeOut) {
        this(path, writeOut, COMPACT_BYTES);
    }

    Journal(Path path, WriteOut writeOut, long compactBytes) {
        this.path = path;
        this.writeOut = writeOut;
        this.compactBytes = compactBytes;
    }

    /** Replays the journal, then keeps it open for appends. */
    public void open() {
        try {
            if (!Files.exists(path)) {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(path));
            long good = 0;
            while (all.remaining() >= 8) {
                int start = all.position();
                int nameLength = all.getInt();
                if (nameLength <= 0 || nameLength > 200 || all.remaining() < nameLength + 8) {
                    break;
                }
                byte[] name = new byte[nameLength];
                all.get(name);
                int dataLength = all.getInt();
                if (dataLength < -1 || all.remaining() < Math.max(dataLength, 0) + 8) {
                    break;
                }
                byte[] data = dataLength < 0 ? null : new byte[dataLength];
                if (data != null) {
                    all.get(data);
                }
                long crc = all.getLong();
                if (crc != crc(all.array(), start, all.position() - 8 - start)) {
                    break;
                }
                pending.put(new String(name, StandardCharsets.UTF_8), Optional.ofNullable(data));
                good = all.position();
            }
            channel = FileChannel.open(path, StandardOpenOption.WRITE);
            channel.truncate(good);
            channel.position(good);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + path, e);
        }
    }

    /** The records changed since the last compaction (empty: deleted), live; the store's files hold the rest. */
    public Map<String, Optional<byte[]>> changes() {
        return pending;
    }

    /** Records a new state of one record, or its deletion ({@code null}). */
    public void append(String name, byte[] record) {
        appendAll(java.util.Collections.singletonMap(name, Optional.ofNullable(record)));
    }

    /** Records several changes (empty: deleted) with one write, in the map's order. */
    public void appendAll(Map<String, Optional<byte[]>> records) {
        int size = 0;
        for (Map.Entry<String, Optional<byte[]>> r : records.entrySet()) {
            size += 4 + r.getKey().length() * 3 + 4 + r.getValue().map(b -> b.length).orElse(0) + 8;
        }
        ByteBuffer entries = ByteBuffer.allocate(size);
        for (Map.Entry<String, Optional<byte[]>> r : records.entrySet()) {
            int start = entries.position();
            byte[] nameBytes = r.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] record = r.getValue().orElse(null);
            entries.putInt(nameBytes.length).put(nameBytes).putInt(record == null ? -1 : record.length);
            if (record != null) {
                entries.put(record);
            }
            entries.putLong(crc(entries.array(), start, entries.position() - start));
        }
        entries.flip();
        try {
            while (entries.hasRemaining()) {
                channel.write(entries);
            }
            pending.putAll(records);
            if (channel.position() > compactBytes) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + path, e);
        }
    }

    /** Hands the journal's records to the store's files, then empties it. */
    public void compact() throws IOException {
        writeOut.write(pending);
        channel.force(true);
        pending.clear();
        channel.truncate(0);
        channel.position(0);
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
