package io.parley.perf;

import io.parley.client.ParleyClient;
import io.parley.client.ServerAddress;
import io.parley.client.media.AttachmentCipher;
import io.parley.client.media.MediaApi;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.MediaKind;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Media throughput through a real node's local store, next to a plain file copy of the same bytes on
 * the same disk in the same run: Files.copy of an N MiB file, then upload (signed URL, HTTP PUT,
 * the server's SHA-256 check and the move into DATA/media) and download (HTTP GET) of the same
 * bytes as a blob, ROUNDS times each; also the client's attachment encryption. Prints MiB/s (median
 * and best) as a final JSON line.
 */
public final class MediaBench {
    private static final double MIB = 1024.0 * 1024.0;
    private static final int WRITE_CHUNK = 1024 * 1024;

    private MediaBench() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Exception e) {
            System.err.println("media benchmark failed: " + e);
            System.exit(1);
        }
    }

    private static int run(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ServerAddress server = ServerAddress.parse(o.getOrDefault("server", "http://127.0.0.1:18092"));
        int megabytes = Integer.parseInt(o.getOrDefault("megabytes", "64"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        Path folder = Files.createDirectories(Path.of(o.getOrDefault("folder", "/tmp")).resolve("media-bench"));
        Vertx vertx = Vertx.vertx();
        BenchNode node = new BenchNode(vertx, server, Path.of(o.get("codes")));
        DeviceCredentials user = node.register("media" + Long.toString(System.currentTimeMillis(), 36), 1).get(0);
        ParleyClient client = BenchNode.await(ParleyClient.connect(vertx, server, user));
        MediaApi media = new MediaApi(client);

        Path bytes = folder.resolve("blob.bin");
        byte[] digest = write(bytes, (long) megabytes * WRITE_CHUNK);
        long size = Files.size(bytes);
        List<Double> copy = new ArrayList<>();
        List<Double> upload = new ArrayList<>();
        List<Double> download = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Path copied = folder.resolve("copy-" + round + ".bin");
            long began = System.nanoTime();
            Files.copy(bytes, copied, StandardCopyOption.REPLACE_EXISTING);
            copy.add(rate(size, began));
            Files.delete(copied);

            began = System.nanoTime();
            UUID blob = BenchNode.await(media.upload(MediaKind.MEDIA_KIND_VIDEO, bytes,
                    new AttachmentCipher.Sealed(new byte[AttachmentCipher.KEY_BYTES], digest, size, size)));
            upload.add(rate(size, began));

            Path back = folder.resolve("download-" + round + ".bin");
            began = System.nanoTime();
            BenchNode.await(media.download(blob, back));
            download.add(rate(size, began));
            if (Files.size(back) != size) {
                throw new IllegalStateException("downloaded " + Files.size(back) + " of " + size + " bytes");
            }
            Files.delete(back);
        }
        Path sealed = folder.resolve("sealed.bin");
        long began = System.nanoTime();
        AttachmentCipher.encrypt(bytes, sealed);
        double encrypt = rate(size, began);
        Files.delete(sealed);
        Files.delete(bytes);

        JsonObject result = new JsonObject().put("scenario", "media").put("mebibytes", megabytes).put("rounds", rounds)
                .put("fileCopyMiBps", figures(copy)).put("uploadMiBps", figures(upload))
                .put("downloadMiBps", figures(download)).put("clientEncryptMiBps", Math.round(encrypt * 10) / 10.0)
                .put("cores", Runtime.getRuntime().availableProcessors());
        System.out.println(result.encode());
        BenchNode.await(media.close());
        BenchNode.await(client.close());
        BenchNode.await(vertx.close());
        return 0;
    }

    /** Writes {@code bytes} pseudo-random bytes (incompressible, like ciphertext); returns their SHA-256. */
    private static byte[] write(Path file, long bytes) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        byte[] chunk = new byte[WRITE_CHUNK];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                sha.update(chunk);
            }
        }
        return sha.digest();
    }

    private static double rate(long bytes, long beganNanos) {
        return bytes / MIB / ((System.nanoTime() - beganNanos) / 1e9);
    }

    private static JsonObject figures(List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        return new JsonObject().put("median", Math.round(sorted.get(sorted.size() / 2) * 10) / 10.0)
                .put("best", Math.round(sorted.get(sorted.size() - 1) * 10) / 10.0)
                .put("all", new JsonArray(rates.stream().map(r -> Math.round(r * 10) / 10.0).toList()));
    }
}
