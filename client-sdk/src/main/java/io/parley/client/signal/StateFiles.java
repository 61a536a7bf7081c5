package io.parley.client.signal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Small files under the Signal state folder, readable by the owner only: each write goes to a
 * temporary file first and is renamed over the old one, so a crash leaves the old or the new
 * content, never half of one. Blocking: call from a worker.
 */
final class StateFiles {
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private final Path root;

    StateFiles(Path root) {
        this.root = root;
        folder(root);
    }

    Path root() {
        return root;
    }

    Optional<byte[]> read(String folder, String name) {
        Path file = root.resolve(folder).resolve(name);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    void write(String folder, String name, byte[] content) {
        write(folder, name, content, false);
    }

    /** As {@link #write}, the content forced to disk before the rename: for what replaces a journal's records. */
    void writeDurably(String folder, String name, byte[] content) {
        write(folder, name, content, true);
    }

    private void write(String folder, String name, byte[] content, boolean force) {
        Path dir = folder(root.resolve(folder));
        try {
            Path temp = Files.createTempFile(dir, ".w", ".tmp", PosixFilePermissions.asFileAttribute(FILE));
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                if (force) {
                    out.force(true);
                }
            }
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }

    boolean exists(String folder, String name) {
        return Files.exists(root.resolve(folder).resolve(name));
    }

    void delete(String folder, String name) {
        try {
            Files.deleteIfExists(root.resolve(folder).resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + name, e);
        }
    }

    /** The names of the files in a folder (none when it does not exist), temporary files left out. */
    List<String> list(String folder) {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".w")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static Path folder(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, FOLDER);
            }
            return dir;
        } catch (FileAlreadyExistsException e) {
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
