package io.herald.postgres.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks a data directory as owned by this JVM for as long as its embedded PostgreSQL runs. An OS file lock: the
 * kernel drops it when the process dies however it dies (kill -9 included), and the postmaster never holds it, so
 * "lock free" means "no live Herald uses this directory", and a postmaster still running there is an orphan.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String NAME = "embedded-postgres.lock";

    /**
     * Directories locked by this JVM. Closing any channel of a file releases all of this process's locks on it, so a
     * second attempt in the same JVM must not even open the file.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws DataDirectoryInUseException when another live process holds the directory */
    static DataDirectoryLock acquire(Path dataDir) {
        Path directory = dataDir.toAbsolutePath().normalize();
        Path file = directory.resolve(NAME);
        if (!HELD.add(directory)) throw inUse(directory, Long.toString(ProcessHandle.current().pid()));
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw inUse(directory, holder);
            }
            // the holder's pid, only for that message: the lock itself is what counts
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new DataDirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            HELD.remove(directory);
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (RuntimeException e) {
            HELD.remove(directory);
            throw e;
        }
    }

    private static DataDirectoryInUseException inUse(Path directory, String holder) {
        return new DataDirectoryInUseException(directory, holder);
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            HELD.remove(directory);
        }
    }
}
