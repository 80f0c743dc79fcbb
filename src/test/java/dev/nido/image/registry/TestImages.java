package dev.nido.image.registry;

import dev.nido.image.store.Digest;
import dev.nido.image.store.ImageStore;
import dev.nido.image.store.Reference;
import dev.nido.oci.ContainerConfig;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageConfig;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;
import dev.nido.oci.Platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Small images built in a store by hand: ustar layers (one may be gzipped), a config, a manifest. */
final class TestImages {
    private TestImages() {
    }

    /** A layer as stored: its media type, its bytes, and the digest of the tar inside (the DiffID). */
    record Layer(String mediaType, byte[] bytes, Digest diffId) {
        static Layer tar(Map<String, String> files) {
            byte[] t = TestImages.tar(files);
            return new Layer(MediaTypes.OCI_LAYER, t, Digest.of(t));
        }

        /** One file holding {@code data}, uncompressed. */
        static Layer rawTar(String name, byte[] data) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header(name, data.length));
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
            out.writeBytes(new byte[1024]);
            byte[] t = out.toByteArray();
            return new Layer(MediaTypes.OCI_LAYER, t, Digest.of(t));
        }

        static Layer gzipTar(Map<String, String> files) {
            byte[] t = TestImages.tar(files);
            return new Layer(MediaTypes.OCI_LAYER_GZIP, gzip(t), Digest.of(t));
        }
    }

    /** The two-layer image the tests push and pull; {@code arch} goes into the config. */
    static Descriptor twoLayers(ImageStore store, String arch, String marker) {
        return image(store, arch, List.of(
                Layer.tar(Map.of("etc/hostname", "nido-" + marker + "\n", "bin/hello", "#!/bin/sh\necho " + marker)),
                Layer.gzipTar(Map.of("data/" + marker + ".txt", marker.repeat(1000)))));
    }

    /** Stores config, layers and an OCI manifest; returns the manifest's descriptor (untagged). */
    static Descriptor image(ImageStore store, String arch, List<Layer> layers) {
        List<Descriptor> ds = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (Layer l : layers) {
            ds.add(Descriptor.of(l.mediaType(), store.content().put(l.bytes()).toString(), l.bytes().length));
            diffIds.add(l.diffId().toString());
        }
        ImageConfig cfg = new ImageConfig("2024-01-01T00:00:00Z", null, arch, "linux", null, ContainerConfig.empty(),
                new ImageConfig.RootFs("layers", diffIds), List.of());
        Descriptor c = store.putJson(cfg, MediaTypes.OCI_CONFIG);
        return store.putJson(ImageManifest.oci(c, ds, Map.of()), MediaTypes.OCI_MANIFEST);
    }

    /** Two platform images and an index over them, tagged {@code name}. */
    static Descriptor multiPlatform(ImageStore store, String name) {
        Descriptor amd = twoLayers(store, "amd64", "amd").withPlatform(Platform.parse("linux/amd64"));
        Descriptor arm = twoLayers(store, "arm64", "arm").withPlatform(Platform.parse("linux/arm64/v8"));
        Descriptor idx = store.putJson(ImageIndex.oci(List.of(amd, arm)), MediaTypes.OCI_INDEX);
        store.tag(Reference.parse(name), idx);
        return idx;
    }

    static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(files).entrySet()) {
            byte[] data = e.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeBytes(header(e.getKey(), data.length));
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]); // two zero blocks end the archive
        return out.toByteArray();
    }

    /** A ustar header (POSIX.1-1988) of a regular file, mode 0644, owned by root, mtime 0. */
    static byte[] header(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, "00000000000", 12);
        h[156] = '0';
        put(h, 257, "ustar", 6);
        put(h, 263, "00", 2);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, Math.min(b.length, max));
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Map<String, String> files(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
