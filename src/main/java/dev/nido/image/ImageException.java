package dev.nido.image;

/** Anything wrong with an image, a layer, a registry or the store, said so that a user can act on it. */
public final class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
