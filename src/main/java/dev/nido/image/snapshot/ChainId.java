package dev.nido.image.snapshot;

import dev.nido.image.store.Digest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * image-spec ChainIDs: a layer stack's identity. ChainID(L0) = DiffID(L0);
 * ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). Two images that share their first layers
 * share those ChainIDs, hence their snapshots.
 */
public final class ChainId {
    private ChainId() {
    }

    public static List<Digest> of(List<String> diffIds) {
        List<Digest> out = new ArrayList<>();
        String prev = null;
        for (String diff : diffIds) {
            Digest d = Digest.parse(diff, "rootfs.diff_ids");
            if (prev == null) {
                out.add(d);
            } else {
                byte[] h = Digest.sha256().digest((prev + " " + d).getBytes(StandardCharsets.UTF_8));
                out.add(new Digest(HexFormat.of().formatHex(h)));
            }
            prev = out.getLast().toString();
        }
        return out;
    }
}
