package dev.nido.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A container's lock ({@code containers/ID/.lock}, made with the container), held by every command
 * that changes it. Taking it never creates a file: a command that waited while another removed the
 * container finds it gone rather than bringing back part of its directory.
 */
final class ContainerLock implements AutoCloseable {
    private final FileChannel ch;
    private final FileLock lock;

    private ContainerLock(FileChannel ch, FileLock lock) {
        this.ch = ch;
        this.lock = lock;
    }

    /** Makes the lock file of a new container. */
    static void create(Path dir) throws IOException {
        Files.write(dir.resolve(".lock"), new byte[0]);
    }

    static ContainerLock acquire(Path dir, String name) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.WRITE); // made with the container
            FileLock l = ch.lock();
            if (!Files.exists(dir.resolve("container.json"))) {
                l.release();
                ch.close();
                throw gone(name);
            }
            return new ContainerLock(ch, l);
        } catch (NoSuchFileException e) {
            if (Files.exists(dir.resolve("container.json"))) { // made before containers had lock files
                try {
                    Files.write(dir.resolve(".lock"), new byte[0], StandardOpenOption.CREATE_NEW);
                } catch (IOException raced) {
                    // another command made it
                }
                return acquire(dir, name);
            }
            throw gone(name);
        } catch (IOException e) {
            close(ch);
            throw new EngineException("lock container " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether another command holds the container's lock now (it is being started, stopped or removed). */
    static boolean held(Path dir) {
        Path f = dir.resolve(".lock");
        if (!Files.exists(f)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
            return true;
        }
    }

    private static EngineException gone(String name) {
        return new EngineException("no such container: " + name + " (it was removed meanwhile)");
    }

    private static void close(FileChannel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // released with the channel
        }
        close(ch);
    }
}
