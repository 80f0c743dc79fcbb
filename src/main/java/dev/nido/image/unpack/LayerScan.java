package dev.nido.image.unpack;

import dev.nido.image.ImageException;
import dev.nido.oci.MediaTypes;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a layer (or a root filesystem tar handed to {@code nido import}) to its end without
 * unpacking it: every header is checked, and the result is its DiffID and the media type its
 * compression calls for.
 */
public final class LayerScan {
    /** What a scan found. */
    public record Result(String diffId, String mediaType, int entries, long uncompressedBytes) {
    }

    private LayerScan() {
    }

    /** {@code raw} uncompressed (gzip and zstd told by their magic bytes; anything else passes as is). */
    public static InputStream decompress(InputStream raw, String label) {
        return LayerInput.open(raw, label);
    }

    public static Result scan(InputStream raw, String label) {
        LayerInput in = LayerInput.open(raw, label);
        int entries = 0;
        try (TarReader tar = new TarReader(in, label)) {
            while (tar.next() != null) { // next() skips the data of the entry before
                entries++;
            }
            tar.drain(); // padding after the end marker counts in the DiffID too
        } catch (IOException e) {
            throw new ImageException(label + ": " + e.getMessage(), e);
        }
        String type = switch (in.compression()) {
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            case NONE -> MediaTypes.OCI_LAYER;
        };
        return new Result(in.diffId(), type, entries, in.count());
    }
}
