package dev.nido.image.unpack;

import java.util.List;

/**
 * What unpacking one layer did.
 *
 * @param diffId            {@code sha256:<hex>} of the uncompressed tar stream (the layer's DiffID)
 * @param uncompressedBytes the length of that stream
 * @param entries           the tar entries processed (meta headers not counted)
 * @param skipped           what could not be done and was left out, one line each, e.g.
 *                          {@code entry "dev/sda": block device 8:0 not created: not root}
 */
public record UnpackResult(String diffId, long uncompressedBytes, int entries, List<String> skipped) {
    public UnpackResult {
        skipped = List.copyOf(skipped);
    }
}
