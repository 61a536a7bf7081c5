package io.parley.bus;

import com.google.protobuf.Message;
import io.parley.proto.Request;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client request kind on its bus address: takes the stamped caller (its signature
 * checked against the installation's {@link BusKey}), runs the handler,
 * replies with its message or fails with a Parley code (a {@link DetailedFailure} is replied as
 * its {@code Error} message, which the edge sends to the client as the response's error).
 * Unexpected failures are logged here, once, and reach the client as 503.
 */
public final class Rpc {
    private static final Logger LOG = LoggerFactory.getLogger(Rpc.class);

    private Rpc() {
    }

    public static <Q extends Message> MessageConsumer<Q> serve(Vertx vertx, Request.BodyCase kind,
            BiFunction<Caller, Q, Future<? extends Message>> handler) {
        BusKey key = BusKey.of(vertx);
        return vertx.eventBus().<Q>consumer(Addresses.rpc(kind), message -> answer(message,
                () -> handler.apply(Caller.of(message.headers(), key), message.body()),
                kind + " [user: " + message.headers().get(Caller.USER_HEADER) + "]"));
    }

    /** Serves an internal (service-to-service) address with the same failure handling, no caller. */
    public static <Q, R> MessageConsumer<Q> serveInternal(Vertx vertx, String address, Function<Q, Future<R>> handler) {
        return vertx.eventBus().<Q>consumer(address, message -> answer(message, () -> handler.apply(message.body()), address));
    }

    private static void answer(io.vertx.core.eventbus.Message<?> message, Supplier<Future<?>> handler, String what) {
        Future<?> reply;
        try {
            reply = handler.get();
        } catch (RuntimeException e) {
            reply = Future.failedFuture(e);
        }
        reply.onSuccess(message::reply).onFailure(e -> {
            if (e instanceof DetailedFailure detailed) {
                message.reply(detailed.error());
                return;
            }
            if (!(e instanceof ReplyException)) {
                LOG.error("{} failed", what, e);
            }
            message.fail(Failure.codeOf(e), Failure.messageOf(e));
        });
    }
}
