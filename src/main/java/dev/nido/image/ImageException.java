package dev.nido.image;

/**
 * A failure of the image layer: a bad layer or manifest, a digest mismatch, a path a layer may not
 * write. The message is for users: lower case, no trailing period, and it names the input, e.g.
 * {@code layer sha256:0a1b…: entry "../../etc/x": path escapes the layer root}.
 */
public final class ImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
