package io.parley.perf;

import io.parley.client.AccountsApi;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RequestCodeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers benchmark users on a node that runs with the file verification sender, reading each
 * code from the node's code file, in bounded parallel batches.
 */
final class BenchNode {
    private static final int PARALLEL = 256;
    private static final int HTTP_CONNECTIONS = 32;
    private static final long CODE_WAIT_MS = 10_000;
    private static final int RETRIES = 5;
    private static final long RETRY_PAUSE_MS = 500;

    private final Vertx vertx;
    private final ServerAddress server;
    private final Path codeFile;
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private long readUpTo;

    BenchNode(Vertx vertx, ServerAddress server, Path codeFile) {
        this.vertx = vertx;
        this.server = server;
        this.codeFile = codeFile;
    }

    /** Registers users named prefix_0 .. prefix_(n-1) and returns their primary devices' credentials. */
    List<DeviceCredentials> register(String prefix, int n) throws Exception {
        AccountsApi api = new AccountsApi(vertx, server, HTTP_CONNECTIONS);
        List<DeviceCredentials> all = new ArrayList<>(n);
        for (int start = 0; start < n; start += PARALLEL) {
            List<String> names = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + PARALLEL); i++) {
                names.add(prefix + "_" + i);
            }
            await(Future.all(names.stream().map(name -> retrying(() -> api.requestCode(RequestCodeRequest.newBuilder()
                    .setUsername(name).build()), RETRIES)).toList()));
            List<Future<DeviceCredentials>> registered = new ArrayList<>();
            for (String name : names) {
                RegisterRequest request = RegisterRequest.newBuilder().setUsername(name).setCode(code(name)).build();
                registered.add(retrying(() -> api.register(request), RETRIES));
            }
            await(Future.all(registered));
            registered.forEach(f -> all.add(f.result()));
        }
        await(api.close());
        return all;
    }

    /** A 503 (the node shedding load, or its Redis slow) is retried after a pause, as a client would. */
    private <T> Future<T> retrying(java.util.function.Supplier<Future<T>> call, int attempts) {
        return call.get().recover(e -> {
            if (attempts <= 1 || !(e instanceof io.parley.client.ParleyException p && p.code() == 503)) {
                return Future.failedFuture(e);
            }
            io.vertx.core.Promise<T> later = io.vertx.core.Promise.promise();
            vertx.setTimer(RETRY_PAUSE_MS, t -> retrying(call, attempts - 1).onComplete(later));
            return later.future();
        });
    }

    private String code(String name) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + CODE_WAIT_MS;
        while (!codes.containsKey(name)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no verification code for " + name + " in " + codeFile);
            }
            readNewCodes();
            if (!codes.containsKey(name)) {
                Thread.sleep(5);
            }
        }
        return codes.remove(name);
    }

    /** Reads only what the node appended since the last read, up to the last complete line. */
    private void readNewCodes() throws IOException {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(codeFile.toFile(), "r")) {
            long length = file.length();
            if (length <= readUpTo) {
                return;
            }
            byte[] fresh = new byte[(int) (length - readUpTo)];
            file.seek(readUpTo);
            file.readFully(fresh);
            int end = fresh.length;
            while (end > 0 && fresh[end - 1] != '\n') {
                end--;
            }
            if (end == 0) {
                return;
            }
            for (String line : new String(fresh, 0, end, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split(" ");
                codes.put(parts[0], parts[1]);
            }
            readUpTo += end;
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(300, java.util.concurrent.TimeUnit.SECONDS);
    }
}
