package dev.nido.image.unpack;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What PAX extended headers say about the entry being read: global records ({@code 'g'}
 * headers, for every later entry) merged with the entry's own ({@code 'x'}); a local record
 * with an empty value deletes the global one (pax(1)), so the header's field counts again.
 */
final class PaxState {
    private final Map<String, byte[]> global = new HashMap<>();
    private Map<String, byte[]> local = Map.of();
    private Map<String, byte[]> merged = Map.of();

    void startEntry() {
        local = Map.of();
        merged = global.isEmpty() ? Map.of() : global;
    }

    boolean pending() {
        return !local.isEmpty();
    }

    void local(byte[] data, TarReader r, String name) {
        Map<String, byte[]> records = parse(data, r, name);
        local = local.isEmpty() ? records : merge(local, records);
        merged = global.isEmpty() ? local : merge(global, local);
    }

    void global(byte[] data, TarReader r, String name) {
        global.putAll(parse(data, r, name));
        merged = local.isEmpty() ? global : merge(global, local);
    }

    private static Map<String, byte[]> merge(Map<String, byte[]> a, Map<String, byte[]> b) {
        Map<String, byte[]> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static Map<String, byte[]> parse(byte[] data, TarReader r, String name) {
        try {
            Map<String, byte[]> records = PaxRecords.parse(data, data.length);
            for (Map.Entry<String, byte[]> e : records.entrySet()) {
                check(e.getKey(), e.getValue());
            }
            return records;
        } catch (IllegalArgumentException e) {
            throw r.error(name, e.getMessage());
        }
    }

    /** Validates the records we use at once, so that a bad one names its header. */
    private static void check(String keyword, byte[] value) {
        if (value.length == 0) {
            return; // an empty value resets the keyword to the header's field
        }
        switch (keyword) {
            case "size", "uid", "gid", "SCHILY.devmajor", "SCHILY.devminor" -> PaxRecords.decimal(keyword, value);
            case "mtime" -> PaxRecords.time(keyword, value);
            default -> {
            }
        }
    }

    private String text(String keyword) {
        byte[] v = merged.get(keyword);
        return v == null || v.length == 0 ? null : PaxRecords.text(v);
    }

    private long number(String keyword) {
        byte[] v = merged.get(keyword);
        return v == null || v.length == 0 ? -1 : PaxRecords.decimal(keyword, v);
    }

    String path() {
        return text("path");
    }

    String linkPath() {
        return text("linkpath");
    }

    String uname() {
        return text("uname");
    }

    String gname() {
        return text("gname");
    }

    long size() {
        return number("size");
    }

    long uid() {
        return number("uid");
    }

    long gid() {
        return number("gid");
    }

    long devMajor() {
        return number("SCHILY.devmajor");
    }

    long devMinor() {
        return number("SCHILY.devminor");
    }

    boolean hasMtime() {
        byte[] v = merged.get("mtime");
        return v != null && v.length > 0;
    }

    long mtimeSeconds() {
        return PaxRecords.time("mtime", merged.get("mtime"))[0];
    }

    int mtimeNanos() {
        return (int) PaxRecords.time("mtime", merged.get("mtime"))[1];
    }

    boolean sparse() {
        if (merged.isEmpty()) {
            return false;
        }
        for (String k : merged.keySet()) {
            if (k.startsWith("GNU.sparse.")) {
                return true;
            }
        }
        return false;
    }

    Map<String, byte[]> xattrs() {
        if (merged.isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> x = new HashMap<>();
        for (Map.Entry<String, byte[]> e : merged.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("SCHILY.xattr.")) {
                x.put(k.substring("SCHILY.xattr.".length()), e.getValue());
            } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                x.put(Names.percentDecode(k.substring("LIBARCHIVE.xattr.".length())),
                        Base64.getMimeDecoder().decode(e.getValue()));
            }
        }
        return x;
    }
}
