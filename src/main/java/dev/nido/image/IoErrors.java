package dev.nido.image;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** An IOException as words (the JDK's messages for file errors are often only a path). */
public final class IoErrors {
    private IoErrors() {
    }

    public static String describe(IOException e) {
        String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String why = switch (e) {
            case AccessDeniedException a -> "permission denied";
            case NoSuchFileException n -> "no such file or directory";
            case FileAlreadyExistsException x -> "already exists";
            case NotDirectoryException d -> "not a directory";
            default -> null;
        };
        if (why == null) {
            return e.getMessage();
        }
        return file == null ? why : file + ": " + why;
    }
}
