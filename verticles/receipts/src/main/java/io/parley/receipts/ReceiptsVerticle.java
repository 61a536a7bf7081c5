package io.parley.receipts;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.bus.Rpc;
import io.parley.proto.DeviceEvent;
import io.parley.proto.RelationChanged;
import io.parley.proto.Request.BodyCase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;

/** Wires the receipts service to {@code parley.rpc.receipt}, and device and relation events to its cache. */
public final class ReceiptsVerticle extends VerticleBase {
    @Override
    public Future<?> start() {
        AccountChecks checks = new AccountChecks(vertx.eventBus());
        ReceiptsService receipts = new ReceiptsService(vertx.eventBus(), checks);
        return Future.all(List.of(
                vertx.eventBus().<DeviceEvent>consumer(Addresses.DEVICE_EVENTS, m -> {
                    if (m.body().getKind() == DeviceEvent.Kind.LINKED || m.body().getKind() == DeviceEvent.Kind.REMOVED) {
                        checks.changed(Ids.uuid(m.body().getDevice().getUserId(), "user_id"));
                    }
                }).completion(),
                vertx.eventBus().<RelationChanged>consumer(Addresses.RELATION_EVENTS, m -> {
                    checks.changed(Ids.uuid(m.body().getUserId(), "user_id"));
                    checks.changed(Ids.uuid(m.body().getOther(), "other"));
                }).completion(),
                Rpc.serve(vertx, BodyCase.RECEIPT, receipts::receipt).completion()));
    }
}
