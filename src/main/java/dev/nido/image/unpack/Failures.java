package dev.nido.image.unpack;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.util.Locale;

/** Java NIO's exceptions as the one-line problems our messages end with. */
final class Failures {
    private Failures() {
    }

    /** {@code /x/y: file exists}, {@code /x: no space left on device}. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT) : reason(f);
            String file = f.getFile() == null ? "" : f.getFile() + ": ";
            String other = f.getOtherFile() == null ? "" : " (" + f.getOtherFile() + ")";
            return file + reason + other;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String reason(FileSystemException f) {
        return switch (f) {
            case NoSuchFileException x -> "no such file or directory";
            case FileAlreadyExistsException x -> "file exists";
            case AccessDeniedException x -> "permission denied";
            case DirectoryNotEmptyException x -> "directory not empty";
            case NotDirectoryException x -> "not a directory";
            case NotLinkException x -> "not a symbolic link";
            default -> f.getClass().getSimpleName();
        };
    }

    /** A name Java cannot turn into a path: a NUL byte, or a name the JVM's file name encoding lacks. */
    static String describe(InvalidPathException e) {
        if (e.getReason() != null && e.getReason().contains("Nul character")) {
            return "name contains a NUL byte";
        }
        return "name cannot be a file name in this JVM's file name encoding (sun.jnu.encoding="
                + System.getProperty("sun.jnu.encoding") + "): run nido with a UTF-8 locale, e.g. LC_ALL=C.UTF-8";
    }
}
