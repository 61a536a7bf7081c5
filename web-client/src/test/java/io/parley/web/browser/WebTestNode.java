package io.parley.web.browser;

import io.parley.client.ServerAddress;
import io.parley.node.NodeConfig;
import io.parley.node.NodeHooks;
import io.parley.node.ParleyNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One real node per test JVM on a random loopback port with embedded PostgreSQL and Redis; it
 * serves the built app from the test class path (target/classes/parley-web) at {@code /}.
 * Tests stay independent by registering users of their own.
 */
final class WebTestNode {
    static final CodeBox CODES = new CodeBox();
    private static ParleyNode node;

    private WebTestNode() {
    }

    static synchronized ParleyNode get() {
        if (node == null) {
            Path data;
            try {
                data = Files.createTempDirectory("parley-web-test-node");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            node = ParleyNode.start(NodeConfig.load(Optional.empty(), Map.of(), Map.of("data.dir", data.toString(),
                    "http.port", "0", "http.host", "127.0.0.1", "limits.ipPerSecond", "2000", "limits.ipBurst", "20000",
                    "limits.userPerSecond", "5000", "limits.userBurst", "20000",
                    // The browser tests play the Web Push service themselves, on loopback (LocalPushService).
                    "push.allowPrivateEndpoints", "true",
                    // Calls in the browser tests relay between loopback peers through the node's TURN.
                    "turn.allowedPeers", "127.0.0.0/8")), NodeHooks.none().withSender(vertx -> CODES));
            Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        }
        return node;
    }

    static String url() {
        return "http://127.0.0.1:" + get().httpPort() + "/";
    }

    static ServerAddress address() {
        return new ServerAddress("127.0.0.1", get().httpPort(), false);
    }
}
