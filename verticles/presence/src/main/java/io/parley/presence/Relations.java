package io.parley.presence;

import io.parley.bus.Addresses;
import io.parley.bus.Ids;
import io.parley.bus.Lookups;
import io.parley.bus.PairCache;
import io.parley.proto.Relation;
import io.parley.proto.RelationRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;

/**
 * What one user may see of another, asked of accounts ({@code parley.accounts.relation}) and kept
 * for a few seconds ({@link PairCache}): a change pushed to many subscribers costs accounts one
 * query per pair per interval. A relation event (block, contact, privacy change) makes a user's
 * answers stale at once. Event-loop confined.
 */
final class Relations {
    private static final long TTL_MS = 5_000;
    private static final int MAX_ENTRIES = 50_000;
    private static final long TIMEOUT_MS = 5_000;

    /** How {@code viewer} sees {@code target}: whether target exists, any block, last seen visible. */
    record View(boolean exists, boolean blocked, boolean lastSeenVisible) {
    }

    private final PairCache<Relation> cache;

    Relations(Vertx vertx) {
        this.cache = new PairCache<>(TTL_MS, MAX_ENTRIES, (from, to) -> Lookups.<Relation>request(vertx.eventBus(),
                Addresses.ACCOUNTS_RELATION, RelationRequest.newBuilder().setFrom(Ids.bytes(from)).setTo(Ids.bytes(to))
                        .build(), TIMEOUT_MS));
    }

    /** Both directions: {@code target} blocked {@code viewer}, or {@code viewer} blocked {@code target}. */
    Future<View> view(UUID viewer, UUID target) {
        if (viewer.equals(target)) {
            return relation(viewer, target).map(r -> new View(r.getExists(), false, true));
        }
        Future<Relation> toward = relation(viewer, target);
        Future<Relation> back = relation(target, viewer);
        return Future.all(toward, back).map(both -> new View(toward.result().getExists(),
                toward.result().getBlocked() || back.result().getBlocked(), toward.result().getLastSeenVisible()));
    }

    private Future<Relation> relation(UUID from, UUID to) {
        return cache.get(from, to);
    }

    /** Everything known about this user's relations is stale from now on. */
    void changed(UUID user) {
        cache.changed(user);
    }
}
