package dev.nido.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nido.image.store.Digest;
import dev.nido.image.store.ImageStore;
import dev.nido.oci.Descriptor;
import dev.nido.oci.ImageIndex;
import dev.nido.oci.ImageManifest;
import dev.nido.oci.MediaTypes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * An in-memory registry (distribution spec calls only) on 127.0.0.1 for unit tests, with knobs to
 * misbehave: ignore Range, cut or stall a blob download, lie about a manifest's digest, put a gate
 * (authentication) in front, answer uploads with relative, absolute or query-bearing Locations.
 */
final class FakeRegistry implements AutoCloseable {
    record Request(String method, String path, String range, String authorization) {
    }

    record Manifest(String mediaType, byte[] bytes) {
    }

    enum LocationStyle { RELATIVE, ABSOLUTE, WITH_QUERY }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> uploads = new ConcurrentHashMap<>();
    volatile boolean honourRange = true;
    /** The next GET of a blob longer than this sends this many bytes of the body and then cuts the connection. */
    volatile long cutAfter = -1;
    /** The next GET of a blob longer than this sends this many bytes, then nothing for {@link #stallMillis}. */
    volatile long stallAfter = -1;
    volatile long stallMillis = 3000;
    volatile String digestHeader;
    volatile LocationStyle locationStyle = LocationStyle.RELATIVE;
    /** Blob GETs are redirected (307) to the same path on this base URI (blob storage elsewhere). */
    volatile String blobRedirect;
    /** Sees each request first; returns false if it answered it (a 401, say). */
    volatile Predicate<HttpExchange> gate;

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:PORT}, as a reference names it. */
    String registry() {
        return "127.0.0.1:" + port();
    }

    List<Request> requests(String method, String pathPart) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).toList();
    }

    /** Serves what {@code top} reaches in {@code store} as {@code repo:tag}. */
    void serve(ImageStore store, String repo, String tag, Descriptor top) {
        byte[] bytes = store.content().read(Digest.parse(top.digest(), "test"));
        Manifest m = new Manifest(top.mediaType(), bytes);
        manifests.put(repo + ":" + tag, m);
        addTree(store, repo, top);
    }

    private void addTree(ImageStore store, String repo, Descriptor d) {
        byte[] bytes = store.content().read(Digest.parse(d.digest(), "test"));
        manifests.put(repo + "@" + d.digest(), new Manifest(d.mediaType(), bytes));
        if (MediaTypes.isIndex(d.mediaType())) {
            for (Descriptor m : store.read(d, ImageIndex.class).manifests()) {
                addTree(store, repo, m);
            }
        } else {
            ImageManifest m = store.read(d, ImageManifest.class);
            addBlob(store, m.config());
            m.layers().forEach(l -> addBlob(store, l));
        }
    }

    private void addBlob(ImageStore store, Descriptor d) {
        blobs.put(d.digest(), store.content().read(Digest.parse(d.digest(), "test")));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().toString(),
                    ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization")));
            if (gate != null && !gate.test(ex)) {
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/v2/")) {
                send(ex, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String rest = path.substring("/v2/".length());
            int at;
            if ((at = rest.indexOf("/manifests/")) > 0) {
                manifest(ex, rest.substring(0, at), rest.substring(at + "/manifests/".length()));
            } else if ((at = rest.indexOf("/blobs/uploads/")) > 0) {
                upload(ex, rest.substring(0, at), rest.substring(at + "/blobs/uploads/".length()));
            } else if ((at = rest.indexOf("/blobs/")) > 0) {
                blob(ex, rest.substring(at + "/blobs/".length()));
            } else {
                error(ex, 404, "NAME_UNKNOWN", "no such route");
            }
        }
    }

    private void manifest(HttpExchange ex, String repo, String ref) throws IOException {
        String key = repo + (ref.startsWith("sha256:") ? "@" : ":") + ref;
        if (ex.getRequestMethod().equals("PUT")) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            Manifest m = new Manifest(type, body);
            manifests.put(key, m);
            manifests.put(repo + "@" + Digest.of(body), m);
            ex.getResponseHeaders().add("Docker-Content-Digest", Digest.of(body).toString());
            send(ex, 201, null, new byte[0]);
            return;
        }
        Manifest m = manifests.get(key);
        if (m == null) {
            error(ex, 404, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        ex.getResponseHeaders().add("Docker-Content-Digest", digestHeader != null ? digestHeader
                : Digest.of(m.bytes()).toString());
        send(ex, 200, m.mediaType(), m.bytes());
    }

    private void blob(HttpExchange ex, String digest) throws IOException {
        byte[] b = blobs.get(digest);
        if (b == null) {
            error(ex, 404, "BLOB_UNKNOWN", "blob unknown to registry");
            return;
        }
        if (blobRedirect != null && ex.getRequestMethod().equals("GET")) {
            ex.getResponseHeaders().add("Location", blobRedirect + ex.getRequestURI().getPath());
            ex.sendResponseHeaders(307, -1);
            return;
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().add("Content-Length", Long.toString(b.length));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int status = 200;
        if (range != null && honourRange && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            status = 206;
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (b.length - 1) + "/" + b.length);
        }
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        ex.sendResponseHeaders(status, b.length - from);
        OutputStream out = ex.getResponseBody();
        long cut = cutAfter;
        long stall = stallAfter;
        if (cut >= 0 && cut < b.length - from) {
            cutAfter = -1;
            out.write(b, from, (int) cut);
            out.flush();
            throw new IOException("test: connection cut"); // the server closes the connection
        }
        if (stall >= 0 && stall < b.length - from) {
            stallAfter = -1;
            out.write(b, from, (int) stall);
            out.flush();
            sleep(stallMillis);
            throw new IOException("test: stalled connection closed");
        }
        out.write(b, from, b.length - from);
    }

    private void upload(HttpExchange ex, String repo, String id) throws IOException {
        if (ex.getRequestMethod().equals("POST")) {
            String uuid = UUID.randomUUID().toString();
            uploads.put(uuid, repo);
            String path = "/v2/" + repo + "/blobs/uploads/" + uuid;
            String location = switch (locationStyle) {
                case RELATIVE -> path;
                case ABSOLUTE -> "http://" + registry() + path;
                case WITH_QUERY -> path + "?_state=abc%3D%3D&x=1";
            };
            ex.getResponseHeaders().add("Location", location);
            send(ex, 202, null, new byte[0]);
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        String digest = null;
        for (String p : query == null ? new String[0] : query.split("&")) {
            if (p.startsWith("digest=")) {
                digest = URLDecoder.decode(p.substring(7), StandardCharsets.UTF_8);
            }
        }
        if (!ex.getRequestMethod().equals("PUT") || !uploads.containsKey(id) || digest == null
                || locationStyle == LocationStyle.WITH_QUERY && !query.contains("_state=abc%3D%3D")) {
            error(ex, 400, "BLOB_UPLOAD_INVALID", "bad upload " + ex.getRequestURI());
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!Digest.of(body).toString().equals(digest)) {
            error(ex, 400, "DIGEST_INVALID", "digest did not match");
            return;
        }
        blobs.put(digest, body);
        ex.getResponseHeaders().add("Docker-Content-Digest", digest);
        send(ex, 201, null, new byte[0]);
    }

    static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        send(ex, status, "application/json", ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\"}]}").getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
