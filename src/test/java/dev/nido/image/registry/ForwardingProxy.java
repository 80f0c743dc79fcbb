package dev.nido.image.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real registry, for integration tests: it records every
 * request and the status the registry gave, can cut one blob download after some bytes, and can
 * put a gate (authentication) in front.
 */
final class ForwardingProxy implements AutoCloseable {
    record Seen(String method, String path, String range, String authorization, int status) {
    }

    /** Sees a request first; returns false if it answered it itself. */
    interface Gate {
        boolean admit(HttpExchange ex) throws IOException;
    }

    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "range", "authorization", "content-type",
            "user-agent");
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String upstream;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The next GET of a blob whose path contains {@link #cutPath} stops after this many body bytes. */
    volatile long cutAfter = -1;
    volatile String cutPath;
    volatile Gate gate;

    ForwardingProxy(String upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Seen> seen(String method, String pathPart) {
        return seen.stream().filter(s -> s.method().equals(method) && s.path().contains(pathPart)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (gate != null && !gate.admit(ex)) {
                seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(),
                        ex.getRequestHeaders().getFirst("Range"), ex.getRequestHeaders().getFirst("Authorization"),
                        ex.getResponseCode()));
                return;
            }
            forward(ex);
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + upstream + ex.getRequestURI()))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (REQUEST_HEADERS.contains(h.getKey().toLowerCase())) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        seen.add(new Seen(method, ex.getRequestURI().toString(), ex.getRequestHeaders().getFirst("Range"),
                ex.getRequestHeaders().getFirst("Authorization"), r.statusCode()));
        r.headers().map().forEach((k, v) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase())) {
                v.forEach(value -> ex.getResponseHeaders().add(k, value));
            }
        });
        long length = r.headers().firstValueAsLong("Content-Length").orElse(0);
        boolean noBody = method.equals("HEAD") || r.statusCode() == 204 || r.statusCode() == 304
                || r.statusCode() / 100 == 1 || length == 0 && r.headers().firstValue("Content-Length").isPresent();
        ex.sendResponseHeaders(r.statusCode(), noBody ? -1 : length);
        try (InputStream in = r.body()) {
            if (noBody) {
                return;
            }
            long cut = cutAfter;
            String path = cutPath;
            if (cut >= 0 && method.equals("GET") && path != null && ex.getRequestURI().getPath().contains(path)) {
                cutAfter = -1;
                OutputStream out = ex.getResponseBody();
                out.write(in.readNBytes((int) cut));
                out.flush();
                throw new IOException("test proxy: cut the download after " + cut + " bytes");
            }
            in.transferTo(ex.getResponseBody());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        http.shutdownNow();
    }
}
