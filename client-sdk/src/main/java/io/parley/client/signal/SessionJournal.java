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
 * The hot path of the session store: every session change is one append to a journal file (name,
 * record or deletion, CRC) instead of a file rewritten and renamed per message. On open the
 * journal is replayed over the per-session files; a torn last record (a crash mid-write) fails
 * its CRC and is dropped with everything after it. When the journal grows past a limit, the
 * sessions it holds are written to their files and it starts empty. Not thread-safe: the store
 * calls it under its own lock.
 */
final class SessionJournal {
    private static final String FILE = "sessions.journal";
    private static final long COMPACT_BYTES = 8L * 1024 * 1024;

    private final Path path;
    private final StateFiles files;
    private final String folder;
    private final Map<String, Optional<byte[]>> pending = new LinkedHashMap<>();
    private FileChannel channel;

    SessionJournal(StateFiles files, String folder) {
        this.files = files;
        this.folder = folder;
        this.path = files.root().resolve(FILE);
    }

    /** Replays the journal, then keeps it open for appends. */
    void open() {
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
            throw new UncheckedIOException("cannot open the session journal " + path, e);
        }
    }

    /** The sessions changed since the last compaction (empty: deleted), live; the files hold the rest. */
    Map<String, Optional<byte[]>> changes() {
        return pending;
    }

    /** Records a session's new state, or its deletion ({@code null}). */
    void append(String name, byte[] record) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int dataLength = record == null ? -1 : record.length;
        ByteBuffer entry = ByteBuffer.allocate(4 + nameBytes.length + 4 + Math.max(dataLength, 0) + 8);
        entry.putInt(nameBytes.length).put(nameBytes).putInt(dataLength);
        if (record != null) {
            entry.put(record);
        }
        entry.putLong(crc(entry.array(), 0, entry.position()));
        entry.flip();
        try {
            while (entry.hasRemaining()) {
                channel.write(entry);
            }
            pending.put(name, Optional.ofNullable(record));
            if (channel.position() > COMPACT_BYTES) {
                compact();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the session journal " + path, e);
        }
    }

    /** Writes the journal's sessions to their own files, then empties it. */
    void compact() throws IOException {
        for (Map.Entry<String, Optional<byte[]>> session : pending.entrySet()) {
            if (session.getValue().isPresent()) {
                files.write(folder, session.getKey(), session.getValue().get());
            } else {
                files.delete(folder, session.getKey());
            }
        }
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
