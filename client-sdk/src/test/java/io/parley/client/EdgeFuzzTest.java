package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.parley.bus.Ids;
import io.parley.proto.ClientFrame;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Envelope;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.SendMessageRequest;
import io.parley.proto.ServerFrame;
import io.parley.proto.WhoamiRequest;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutated frames at the edge, seeded from valid ones (a default request of every kind the protocol
 * has, and a few filled in): flipped bits, replaced, inserted and deleted bytes, truncations,
 * splices, garbage. Over WebSocket and over SockJS, 100,000 frames in all, sent in rounds each
 * closed by a whoami whose answer must come back. Every frame gets exactly one answer, every
 * error carries a documented code and a message, the connection stays usable (a connection the
 * fuzz legitimately closed, such as one whose device it removed, closes with a documented code and
 * is replaced), and what a bystander had stored is intact afterwards.
 */
class EdgeFuzzTest {
    private static final int WEBSOCKET_FRAMES = 80_000;
    private static final int SOCKJS_FRAMES = 20_000;
    private static final int ROUND = 250;
    private static final long SEED = 20261202L;
    private static final Duration ROUND_DEADLINE = Duration.ofSeconds(30);
    private static final Set<Integer> DOCUMENTED_CODES = Set.of(400, 401, 403, 404, 409, 410, 413, 429, 503);
    private static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1000, 1006, 1009, 4401, 4408, 4409, 4410, 4413, 4429);
    private static final byte[] BYSTANDER_TEXT = "what the bystander was sent before the fuzz".getBytes(StandardCharsets.UTF_8);

    private Vertx vertx;
    private DeviceCredentials bystander;
    private ByteString bystanderMessage;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        bystander = Users.register(vertx, Users.uniqueName("bystander"));
        ParleyClient sender = Users.connect(vertx, Users.register(vertx, Users.uniqueName("before")));
        bystanderMessage = Await.result(new Messenger(sender).send(Ids.uuid(bystander.getUserId(), "user_id"),
                BYSTANDER_TEXT)).getMessageId();
        Await.result(sender.close());
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    /** A connection the fuzz writes to; replaced when the fuzz closes it. */
    private interface Target {
        void send(byte[] frame);

        BlockingQueue<ServerFrame> frames();

        boolean isOpen();

        Short closeCode();

        void close();
    }

    /** What the run saw. */
    private static final class Tally {
        final Map<Integer, Integer> errors = new TreeMap<>();
        int answered;
        int replaced;
        long closeMillis;
        final List<Short> closes = new ArrayList<>();
    }

    @Test
    void mutatedWebSocketFramesEachGetADocumentedAnswerAndHarmNothing() {
        Random random = new Random(SEED);
        List<byte[]> seeds = seeds();
        Tally tally = fuzz(WEBSOCKET_FRAMES, this::webSocketTarget, () -> mutate(random, seeds, true));
        report("websocket", tally, WEBSOCKET_FRAMES);
        bystanderIsIntact();
    }

    @Test
    void mutatedSockJsFramesEachGetADocumentedAnswerAndHarmNothing() {
        Random random = new Random(SEED + 1);
        List<byte[]> seeds = seeds().stream().map(EdgeFuzzTest::json).toList();
        Tally tally = fuzz(SOCKJS_FRAMES, this::sockJsTarget, () -> mutate(random, seeds, false));
        report("sockjs", tally, SOCKJS_FRAMES);
        bystanderIsIntact();
    }

    private Tally fuzz(int total, Supplier<Target> connect, Supplier<byte[]> next) {
        Tally tally = new Tally();
        List<Target> opened = new ArrayList<>();
        Target target = connect.get();
        opened.add(target);
        long sentinel = Long.MAX_VALUE - 1_000_000;
        for (int sent = 0; sent < total; sent += ROUND) {
            int frames = Math.min(ROUND, total - sent);
            for (int i = 0; i < frames; i++) {
                target.send(next.get());
            }
            long id = sentinel++;
            target.send(whoami(id, target instanceof SockJsTarget));
            int answers = awaitRound(target, frames + 1, id, tally);
            if (answers < 0) {
                // The fuzz closed this connection (removed its device, say): it must say why.
                tally.closes.add(target.closeCode());
                assertThat(target.closeCode()).as("close code of a connection the fuzz closed").isIn(DOCUMENTED_CLOSES
                        .stream().map(Integer::shortValue).toList());
                tally.replaced++;
                assertThat(tally.replaced).as("connections the fuzz closed").isLessThan(total / ROUND / 4);
                target = connect.get();
                opened.add(target);
            }
        }
        assertThat(target.isOpen()).isTrue();
        // Closing must not hang either: each connection answers the close handshake.
        long closing = System.nanoTime();
        opened.forEach(Target::close);
        tally.closeMillis = (System.nanoTime() - closing) / 1_000_000;
        return tally;
    }

    /** Waits for a round's answers; the count of them, or -1 when the connection closed first. */
    private static int awaitRound(Target target, int expected, long sentinelId, Tally tally) {
        long deadline = System.nanoTime() + ROUND_DEADLINE.toNanos();
        int answers = 0;
        boolean sentinelAnswered = false;
        while (answers < expected || !sentinelAnswered) {
            ServerFrame frame;
            try {
                frame = target.frames().poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (frame == null) {
                if (!target.isOpen()) {
                    return -1;
                }
                assertThat(System.nanoTime()).as("answers to a round of fuzz (%d of %d so far)", answers, expected)
                        .isLessThan(deadline);
                continue;
            }
            if (!frame.hasResponse()) {
                continue;
            }
            Response response = frame.getResponse();
            answers++;
            tally.answered++;
            if (response.getId() == sentinelId && response.hasWhoami()) {
                sentinelAnswered = true;
            } else if (response.hasError()) {
                assertThat(response.getError().getCode()).as("error code for %s", response.getError().getMessage())
                        .isIn(DOCUMENTED_CODES);
                assertThat(response.getError().getMessage()).isNotBlank();
                tally.errors.merge(response.getError().getCode(), 1, Integer::sum);
            }
        }
        assertThat(answers).as("one answer per frame").isEqualTo(expected);
        return answers;
    }

    private void report(String transport, Tally tally, int frames) {
        System.out.printf("fuzz over %s: %d frames, %d answers, errors by code %s, %d connections closed by the fuzz %s; "
                + "closed at the end in %d ms%n", transport, frames, tally.answered, tally.errors, tally.replaced, tally.closes,
                tally.closeMillis);
        assertThat(tally.errors.values().stream().mapToInt(Integer::intValue).sum())
                .as("most mutated frames are refused").isGreaterThan(frames / 2);
    }

    private void bystanderIsIntact() {
        Device device = new Device(vertx, bystander);
        Await.until(() -> device.received.stream().anyMatch(e -> e.getKind() == Envelope.Kind.MESSAGE
                && e.getMessageId().equals(bystanderMessage)), "the bystander's message, still in its inbox");
        Envelope kept = device.received.stream().filter(e -> e.getMessageId().equals(bystanderMessage)).findFirst()
                .orElseThrow();
        assertThat(kept.getContent().toByteArray()).isEqualTo(BYSTANDER_TEXT);
        assertThat(Await.result(device.client.send(Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance())))
                .getWhoami().getUserId()).isEqualTo(bystander.getUserId());
        device.close();
    }

    // --- seeds and mutations ---

    /** A default request of every kind, and a few filled in with plausible values. */
    private List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        long id = 10;
        for (FieldDescriptor body : Request.getDescriptor().getOneofs().get(0).getFields()) {
            Request.Builder request = Request.newBuilder().setId(id++);
            request.setField(body, request.newBuilderForField(body).build());
            seeds.add(ClientFrame.newBuilder().setRequest(request).build().toByteArray());
        }
        ByteString someone = Ids.bytes(UUID.randomUUID());
        seeds.add(ClientFrame.newBuilder().setRequest(Request.newBuilder().setId(id++).setSendMessage(
                SendMessageRequest.newBuilder().setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(someone)
                        .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(someone).setDeviceId(1)
                                .setContent(ByteString.copyFromUtf8("seed message"))))).build().toByteArray());
        seeds.add(ClientFrame.newBuilder().setRequest(Request.newBuilder().setId(id).setSendMessage(
                SendMessageRequest.newBuilder().setClientMessageId(Ids.bytes(UUID.randomUUID()))
                        .setRecipient(bystander.getUserId()).addEnvelopes(OutgoingEnvelope.newBuilder()
                                .setUserId(bystander.getUserId()).setDeviceId(1)
                                .setContent(ByteString.copyFromUtf8("seed to the bystander"))))).build().toByteArray());
        return seeds;
    }

    private static byte[] mutate(Random random, List<byte[]> seeds, boolean binary) {
        byte[] base = seeds.get(random.nextInt(seeds.size()));
        byte[] out = base.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            out = switch (random.nextInt(8)) {
                case 0 -> flipBit(random, out);
                case 1 -> replaceByte(random, out, binary);
                case 2 -> insert(random, out, binary);
                case 3 -> delete(random, out);
                case 4 -> truncate(random, out);
                case 5 -> splice(random, out, seeds.get(random.nextInt(seeds.size())));
                case 6 -> repeat(random, out);
                default -> random.nextInt(20) == 0 ? garbage(random, binary) : flipBit(random, out);
            };
        }
        if (binary && random.nextInt(2_000) == 0) {
            // Now and then one over the edge's frame limit (256 KiB), under the socket's hard limit.
            byte[] big = new byte[300 * 1024];
            random.nextBytes(big);
            return big;
        }
        return out.length == 0 ? new byte[] {(byte) random.nextInt(256)} : out;
    }

    private static byte[] flipBit(Random random, byte[] in) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        int i = random.nextInt(out.length);
        out[i] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private static byte[] replaceByte(Random random, byte[] in, boolean binary) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = randomByte(random, binary);
        return out;
    }

    private static byte[] insert(Random random, byte[] in, boolean binary) {
        int at = random.nextInt(in.length + 1);
        int n = 1 + random.nextInt(16);
        byte[] out = new byte[in.length + n];
        System.arraycopy(in, 0, out, 0, at);
        for (int i = 0; i < n; i++) {
            out[at + i] = randomByte(random, binary);
        }
        System.arraycopy(in, at, out, at + n, in.length - at);
        return out;
    }

    private static byte[] delete(Random random, byte[] in) {
        if (in.length < 2) {
            return in;
        }
        int at = random.nextInt(in.length);
        int n = Math.min(in.length - at, 1 + random.nextInt(8));
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        return out;
    }

    private static byte[] truncate(Random random, byte[] in) {
        return in.length < 2 ? in : java.util.Arrays.copyOf(in, random.nextInt(in.length));
    }

    private static byte[] splice(Random random, byte[] a, byte[] b) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(b.length + 1);
        byte[] out = new byte[cutA + b.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(b, cutB, out, cutA, b.length - cutB);
        return out;
    }

    private static byte[] repeat(Random random, byte[] in) {
        if (in.length == 0 || in.length > 4_096) {
            return in;
        }
        int times = 2 + random.nextInt(4);
        byte[] out = new byte[in.length * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(in, 0, out, i * in.length, in.length);
        }
        return out;
    }

    private static byte[] garbage(Random random, boolean binary) {
        byte[] out = new byte[1 + random.nextInt(512)];
        for (int i = 0; i < out.length; i++) {
            out[i] = randomByte(random, binary);
        }
        return out;
    }

    /** Any byte for protobuf; for JSON text, printable ASCII and JSON's own punctuation. */
    private static byte randomByte(Random random, boolean binary) {
        if (binary) {
            return (byte) random.nextInt(256);
        }
        String alphabet = "{}[]\":,0123456789abcdefghijklmnopqrstuvwxyzABCDEF -+.\\/=eE";
        return (byte) alphabet.charAt(random.nextInt(alphabet.length()));
    }

    private static byte[] json(byte[] frame) {
        try {
            return JsonFormat.printer().omittingInsignificantWhitespace().print(ClientFrame.parseFrom(frame))
                    .getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] whoami(long id, boolean asJson) {
        byte[] frame = ClientFrame.newBuilder().setRequest(Request.newBuilder().setId(id)
                .setWhoami(WhoamiRequest.getDefaultInstance())).build().toByteArray();
        return asJson ? json(frame) : frame;
    }

    // --- the two transports ---

    private Target webSocketTarget() {
        RawSocket socket = RawSocket.open(vertx);
        assertThat(socket.authenticate(Users.register(vertx, Users.uniqueName("fuzz"))).hasAuthenticate()).isTrue();
        return new Target() {
            @Override
            public void send(byte[] frame) {
                if (socket.isOpen()) {
                    socket.sendBytesAsync(frame);
                }
            }

            @Override
            public BlockingQueue<ServerFrame> frames() {
                return socket.frames;
            }

            @Override
            public boolean isOpen() {
                return socket.isOpen();
            }

            @Override
            public Short closeCode() {
                return socket.awaitClose();
            }

            @Override
            public void close() {
                if (socket.isOpen()) {
                    socket.close();
                }
            }
        };
    }

    private SockJsTarget sockJsTarget() {
        SockJsClient client = SockJsClient.websocket(vertx, TestNode.get().httpPort());
        DeviceCredentials fuzzer = Users.register(vertx, Users.uniqueName("fuzzjs"));
        assertThat(client.request(Request.newBuilder().setId(1).setAuthenticate(io.parley.proto.Authenticate.newBuilder()
                .setUserId(fuzzer.getUserId()).setDeviceId(fuzzer.getDeviceId()).setPassword(fuzzer.getPassword()))
                .build()).hasAuthenticate()).isTrue();
        return new SockJsTarget(client);
    }

    private record SockJsTarget(SockJsClient client) implements Target {
        @Override
        public void send(byte[] frame) {
            client.sendRaw(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public BlockingQueue<ServerFrame> frames() {
            return client.frames;
        }

        @Override
        public boolean isOpen() {
            return client.isOpen();
        }

        @Override
        public Short closeCode() {
            return client.closeCode();
        }

        @Override
        public void close() {
            if (client.isOpen()) {
                client.close();
            }
        }
    }
}
