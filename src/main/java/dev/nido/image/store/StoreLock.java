package dev.nido.image.store;

import dev.nido.image.ImageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An flock(2)-style lock on a file of the store, held by one process at a time (the JVM's
 * FileChannel lock). Multi-step changes (a ref and the blobs it needs, a prune) hold it; reads do not
 * need it, because every file a reader sees was made whole by a rename.
 */
public final class StoreLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static StoreLock acquire(Path file) {
        return acquire(file, false);
    }

    /** A lock many holders may share, which keeps out the exclusive one ({@link ImageStore#writing()}). */
    public static StoreLock shared(Path file) {
        return acquire(file, true);
    }

    private static StoreLock acquire(Path file, boolean shared) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                return new StoreLock(ch, ch.lock(0, Long.MAX_VALUE, shared));
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ImageException("lock " + file + ": " + dev.nido.image.IoErrors.describe(e), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel releases the lock in any case
        }
    }
}
