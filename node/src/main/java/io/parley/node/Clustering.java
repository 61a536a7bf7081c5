package io.parley.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The Hazelcast membership of a clustered node: Vert.x's own Hazelcast settings (its maps and
 * multimaps), a fixed TCP-IP member list on the configured address and port, no multicast or
 * cloud discovery, and no calls outside the machine (Hazelcast's phone-home is off).
 */
final class Clustering {
    private Clustering() {
    }

    static HazelcastClusterManager clusterManager(NodeConfig.Cluster cluster) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(cluster.name());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        // The node leaves the cluster when it closes Vert.x; Hazelcast's own hook would race it.
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        boolean literalAddress = cluster.host().matches("[0-9.]+|.*:.*");
        // An IP address is bound exactly; a host name (a container's) binds all and is announced as is.
        config.setProperty("hazelcast.socket.bind.any", Boolean.toString(!literalAddress));
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.failureSeconds()));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(cluster.port()).setPortAutoIncrement(false).setPublicAddress(cluster.host() + ":" + cluster.port());
        if (literalAddress) {
            network.getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
        }
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        List<String> members = new ArrayList<>(cluster.members());
        members.add(cluster.host() + ":" + cluster.port());
        join.getTcpIpConfig().setEnabled(true).setMembers(members);
        return new HazelcastClusterManager(config);
    }

    static EventBusOptions eventBus(NodeConfig.Cluster cluster) {
        return new EventBusOptions().setHost(cluster.host()).setPort(cluster.busPort()).setClusterPublicHost(cluster.host());
    }
}
