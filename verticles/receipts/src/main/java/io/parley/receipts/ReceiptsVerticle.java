package io.parley.receipts;

import io.parley.bus.Rpc;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Wires the receipts service to {@code parley.rpc.receipt}. */
public final class ReceiptsVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        ReceiptsService receipts = new ReceiptsService(vertx.eventBus());
        return Rpc.serve(vertx, BodyCase.RECEIPT, receipts::receipt).completion();
    }
}
