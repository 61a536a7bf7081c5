package io.parley.bus;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which nodes are alive, as Redis sees it: each node's edge renews a short-lived key
 * {@code parley:node:ID:alive} every {@link #BEAT_SECONDS}; a node that stops renewing it (killed,
 * cut off) is gone within {@link #TTL_SECONDS}, and the survivors delete it at once when the cluster
 * says the node left. A device route on a node that is not alive is no route: presence uses this
 * to turn a dead node's devices offline instead of trusting their routes until these expire.
 */
public final class NodeLiveness {
    public static final int BEAT_SECONDS = 5;
    public static final int TTL_SECONDS = 15;

    private final Redis redis;

    public NodeLiveness(Redis redis) {
        this.redis = redis;
    }

    static String key(String nodeId) {
        return "parley:node:" + nodeId + ":alive";
    }

    /**
     * Says this node is alive for the next {@link #TTL_SECONDS}, and renews the beating instance's
     * own canary key; true when the canary was still there. False after a first beat means Redis
     * lost its data (a restart without persistence) or this instance stalled for longer than the
     * TTL: the routes and presence this instance wrote may be gone too.
     */
    public Future<Boolean> beat(String nodeId, String instanceId) {
        return redis.batch(List.of(Request.cmd(Command.SET).arg(key(nodeId)).arg("1").arg("EX").arg(TTL_SECONDS),
                        Request.cmd(Command.SET).arg(key(nodeId) + ":" + instanceId).arg("1").arg("EX").arg(TTL_SECONDS)
                                .arg("GET")))
                .map(replies -> replies.get(1) != null);
    }

    /** Says the node is gone (it left the cluster, or stops). */
    public Future<Void> forget(String nodeId) {
        return redis.send(Request.cmd(Command.DEL).arg(key(nodeId))).mapEmpty();
    }

    /** The nodes of the given ones that are alive, in one round trip. */
    public Future<Set<String>> alive(Collection<String> nodeIds) {
        if (nodeIds.isEmpty()) {
            return Future.succeededFuture(Set.of());
        }
        List<String> asked = new ArrayList<>(nodeIds);
        Request mget = Request.cmd(Command.MGET);
        asked.forEach(id -> mget.arg(key(id)));
        return redis.send(mget).map(values -> {
            Set<String> alive = new HashSet<>();
            for (int i = 0; i < asked.size(); i++) {
                if (values.get(i) != null) {
                    alive.add(asked.get(i));
                }
            }
            return alive;
        });
    }
}
