package io.parley.client;

import io.parley.node.NodeConfig;
import io.parley.node.NodeHooks;
import io.parley.node.ParleyNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One node per test JVM on a random port with embedded PostgreSQL and Redis, started on first use
 * and stopped when the JVM exits. Tests stay independent by registering users of their own.
 */
final class TestNode {
    static final CodeBox CODES = new CodeBox();
    static final TestClock CLOCK = new TestClock();
    private static ParleyNode node;

    private TestNode() {
    }

    static synchronized ParleyNode get() {
        if (node == null) {
            node = start(Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        }
        return node;
    }

    /** A node of the test's own, with extra configuration and its own clock; the caller closes it. */
    static ParleyNode start(Map<String, String> extra, java.time.Clock clock) {
        return start(extra, NodeHooks.none().withSender(vertx -> CODES).withClock(clock));
    }

    /** A node of the test's own, with extra configuration; the caller closes it. */
    static ParleyNode start(Map<String, String> extra) {
        return start(extra, NodeHooks.none().withSender(vertx -> CODES).withClock(CLOCK));
    }

    private static ParleyNode start(Map<String, String> extra, NodeHooks hooks) {
        Path data;
        try {
            data = Files.createTempDirectory("parley-test-node");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> flags = new HashMap<>(Map.of("data.dir", data.toString(), "http.port", "0",
                "http.host", "127.0.0.1", "limits.ipPerSecond", "2000", "limits.ipBurst", "20000",
                "limits.userPerSecond", "5000", "limits.userBurst", "20000",
                "messaging.sweepSeconds", "1", "presence.sweepSeconds", "1", "presence.onlineTtlSeconds", "3"));
        flags.putAll(extra);
        return ParleyNode.start(NodeConfig.load(Optional.empty(), Map.of(), flags), hooks);
    }

    static ServerAddress address() {
        return new ServerAddress("127.0.0.1", get().httpPort(), false);
    }
}
