package io.parley.perf;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.ServerAddress;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Request;
import io.parley.proto.SendMessageRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many devices come back at once, each with messages waiting: queue M messages for each of D
 * offline devices, then connect all of them together and time until every device has received
 * its M messages and been told its inbox is drained.
 */
final class ReconnectStorm {
    private static final int SENDERS = 20;
    private static final int SEND_WINDOW = 16;
    private static final int CONNECT_PARALLEL = 500;
    private static final long DRAIN_DEADLINE_MS = 300_000;

    record Result(int devices, int messagesEach, double seconds) {
    }

    static Result run(Vertx vertx, ServerAddress server, BenchNode node, int devices, int messagesEach) throws Exception {
        long tag = System.currentTimeMillis() % 1_000_000;
        List<DeviceCredentials> offline = node.register("storm" + tag, devices);
        List<DeviceCredentials> senderCredentials = node.register("stormsnd" + tag, SENDERS);
        List<ParleyClient> senders = new ArrayList<>();
        for (DeviceCredentials c : senderCredentials) {
            senders.add(BenchNode.await(ParleyClient.connect(vertx, server, c)));
        }
        List<Future<Void>> queued = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            ParleyClient sender = senders.get(s);
            List<UUID> targets = new ArrayList<>();
            for (int d = s; d < devices; d += SENDERS) {
                targets.add(Ids.uuid(offline.get(d).getUserId(), "user_id"));
            }
            AtomicLong next = new AtomicLong();
            for (int w = 0; w < SEND_WINDOW; w++) {
                queued.add(sender.onContext(() -> queue(sender, targets, messagesEach, next)));
            }
        }
        BenchNode.await(Future.all(queued));

        AtomicLong drained = new AtomicLong();
        AtomicLong received = new AtomicLong();
        long start = System.nanoTime();
        for (int from = 0; from < devices; from += CONNECT_PARALLEL) {
            List<Future<ParleyClient>> batch = new ArrayList<>();
            for (int d = from; d < Math.min(devices, from + CONNECT_PARALLEL); d++) {
                ParleyClient client = ParleyClient.create(vertx, server, offline.get(d));
                new Messenger(client).onEnvelope(e -> received.incrementAndGet());
                client.onPush(p -> {
                    if (p.hasInboxDrained()) {
                        drained.incrementAndGet();
                    }
                });
                batch.add(client.connect());
            }
            BenchNode.await(Future.all(batch));
        }
        long deadline = System.currentTimeMillis() + DRAIN_DEADLINE_MS;
        while (drained.get() < devices || received.get() < (long) devices * messagesEach) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("storm not drained: " + drained.get() + " devices drained, "
                        + received.get() + " messages received");
            }
            Thread.sleep(20);
        }
        return new Result(devices, messagesEach, (System.nanoTime() - start) / 1e9);
    }

    /** Sends M messages to each target, from one of the sender's in-flight slots, until all are queued. */
    private static Future<Void> queue(ParleyClient sender, List<UUID> targets, int each, AtomicLong next) {
        long n = next.getAndIncrement();
        if (n >= (long) targets.size() * each) {
            return Future.succeededFuture();
        }
        UUID to = targets.get((int) (n % targets.size()));
        return sender.send(Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                        .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(Ids.bytes(to))
                        .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(Ids.bytes(to)).setDeviceId(1)
                                .setContent(ByteString.copyFromUtf8("queued " + n)))))
                .compose(r -> queue(sender, targets, each, next));
    }

    private ReconnectStorm() {
    }
}
