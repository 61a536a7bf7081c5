package io.parley.messaging;

import com.google.protobuf.Message;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.bus.Caller;
import io.parley.bus.Meters;
import io.parley.proto.MessageStored;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Messaging's meters: sends by kind and inbox rows they wrote (counted from the committed sends),
 * the latency of a send from its arrival to its commit (a histogram, for percentiles in
 * Prometheus), send failures, and the depth of all inboxes (refreshed by the sweep).
 */
final class MessagingMeters {
    private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
    private static final Duration MAX_EXPECTED = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final Timer sendLatency;
    private final Counter sendFailures;
    private final Counter inboxRows;
    private final AtomicLong depth;
    /** The sent counters by kind and group flag, looked up once each rather than on every send. */
    private final java.util.Map<String, Counter> sent = new java.util.HashMap<>();

    MessagingMeters(Vertx vertx) {
        registry = Meters.of(vertx);
        sendLatency = Timer.builder("parley.send.latency").description("from a send's arrival to its commit")
                .publishPercentileHistogram().minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                .register(registry);
        sendFailures = Counter.builder("parley.send.failures").description("sends refused or failed, any code")
                .register(registry);
        inboxRows = Counter.builder("parley.inbox.stored").description("envelopes stored in inboxes by sends")
                .register(registry);
        depth = Meters.gauge(vertx, "parley.inbox.depth", "envelopes waiting in all inboxes, as of the last sweep");
    }

    /** Wraps a send handler: times it and counts its failures. */
    <Q> BiFunction<Caller, Q, Future<? extends Message>> timed(BiFunction<Caller, Q, Future<? extends Message>> handler) {
        return (caller, request) -> {
            Timer.Sample sample = Timer.start(registry);
            Future<? extends Message> result;
            try {
                result = handler.apply(caller, request);
            } catch (RuntimeException e) {
                sendFailures.increment();
                throw e;
            }
            return result.onComplete(done -> {
                sample.stop(sendLatency);
                if (done.failed()) {
                    sendFailures.increment();
                }
            });
        };
    }

    /** Counts a committed send; called on the verticle's event loop only. */
    void stored(MessageStored event) {
        sent.computeIfAbsent(event.getKind().name() + event.getGroup(), k -> Counter.builder("parley.messages.sent")
                .tag("kind", event.getKind().name().toLowerCase()).tag("group", String.valueOf(event.getGroup()))
                .description("messages committed, by kind").register(registry)).increment();
        inboxRows.increment(event.getDevices());
    }

    void depth(long envelopes) {
        depth.set(envelopes);
    }
}
