package io.parley.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The node's data folder, held with an OS file lock for the life of the process so that a second
 * node pointed at it refuses to start instead of corrupting it. The OS drops the lock when the
 * process dies, even by SIGKILL.
 */
final class DataFolder implements AutoCloseable {
    private static final String LOCK_FILE = "node.lock";

    private final Path root;
    private final FileChannel channel;
    private final FileLock lock;

    private DataFolder(Path root, FileChannel channel, FileLock lock) {
        this.root = root;
        this.channel = channel;
        this.lock = lock;
    }

    static DataFolder lock(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new NodeStartException("cannot create data folder " + root + ": " + e.getMessage(), e);
        }
        Path lockFile = root.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String holder = Files.readString(lockFile).strip();
                channel.close();
                throw new NodeStartException("data folder " + root + " is in use by another Parley node"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + "; stop it or start this one with --data pointing elsewhere");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new DataFolder(root, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new NodeStartException("cannot lock data folder " + root + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException inThisProcess) {
            return null;
        }
    }

    Path resolve(String child) {
        return root.resolve(child);
    }

    Path root() {
        return root;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the channel close below releases it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do with a channel that will not close
            }
        }
    }
}
