package dev.nido.security;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads this package's resource files straight from the jar or directory the classes came from.
 * {@code Class.getResourceAsStream} asks the JDK's loaders first, and their first lookup of a name
 * outside the JDK's packages searches every module of the runtime image: about 15 ms on a cold
 * JVM, paid by every container start. The class loader's way is kept as the fallback.
 */
final class Resources {
    private Resources() {
    }

    /** The bytes of resource {@code path}, such as {@code dev/nido/security/syscalls-x86.txt}. */
    static byte[] read(String path) {
        try {
            byte[] direct = fromCodeSource(path);
            return direct != null ? direct : fromClassLoader(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }

    /** The characters of ASCII or ISO-8859-1 {@code bytes}, without a charset lookup. */
    static char[] latin1(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = (char) (bytes[i] & 0xff);
        }
        return chars;
    }

    private static byte[] fromCodeSource(String resource) throws IOException {
        CodeSource source = Resources.class.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        Path path;
        try {
            path = Path.of(location.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
        if (Files.isDirectory(path)) {
            Path file = path.resolve(resource);
            return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        }
        try (ZipFile jar = new ZipFile(path.toFile())) {
            ZipEntry entry = jar.getEntry(resource);
            if (entry == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }

    private static byte[] fromClassLoader(String path) throws IOException {
        ClassLoader loader = Resources.class.getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the build");
            }
            return in.readAllBytes();
        }
    }
}
