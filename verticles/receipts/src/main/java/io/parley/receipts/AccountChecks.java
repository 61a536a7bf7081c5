package io.parley.receipts;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.bus.Lookups;
import io.parley.bus.PairCache;
import io.parley.proto.Relation;
import io.parley.proto.RelationRequest;
import io.parley.proto.SendCheck;
import io.parley.proto.SendCheckRequest;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.UUID;

/**
 * What a receipt from one user to another must know, asked of accounts and kept 10 s per pair
 * ({@link PairCache}): both users' devices and read-receipt settings, and blocks either way. A
 * chat's stream of receipts then costs accounts two queries per interval, not two per receipt.
 * Device and relation events make a user's answers stale at once. Event-loop confined.
 */
final class AccountChecks {
    private static final long TTL_MS = 10_000;
    private static final int MAX_ENTRIES = 50_000;
    private static final long TIMEOUT_MS = 5_000;

    /** The check of a receipt from `from` to `to`: accounts' send check, and whether `from` blocked `to`. */
    record Check(SendCheck sendCheck, boolean blockedByCaller) {
    }

    private final PairCache<SendCheck> sendChecks;
    private final PairCache<Relation> relations;

    AccountChecks(EventBus bus) {
        sendChecks = new PairCache<>(TTL_MS, MAX_ENTRIES, (from, to) -> Lookups.<SendCheck>request(bus,
                Addresses.ACCOUNTS_SEND_CHECK, SendCheckRequest.newBuilder().setFrom(Ids.bytes(from)).setTo(Ids.bytes(to))
                        .build(), TIMEOUT_MS));
        relations = new PairCache<>(TTL_MS, MAX_ENTRIES, (from, to) -> Lookups.<Relation>request(bus,
                Addresses.ACCOUNTS_RELATION, RelationRequest.newBuilder().setFrom(Ids.bytes(from)).setTo(Ids.bytes(to))
                        .build(), TIMEOUT_MS));
    }

    Future<Check> check(UUID from, UUID to) {
        Future<SendCheck> check = sendChecks.get(from, to);
        // relation(to → from).blocked: `from` blocked `to`; receipts do not flow to a user one has blocked.
        Future<Boolean> blockedByCaller = from.equals(to) ? Future.succeededFuture(false)
                : relations.get(to, from).map(Relation::getBlocked);
        return Future.all(check, blockedByCaller).map(both -> new Check(check.result(), blockedByCaller.result()));
    }

    /** Everything known about this user (devices, blocks, privacy) is stale from now on. */
    void changed(UUID user) {
        sendChecks.changed(user);
        relations.changed(user);
    }
}
