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
    /** The Hazelcast member attribute that carries the node's Parley id. */
    static final String NODE_ATTRIBUTE = "parley.node";

    private Clustering() {
    }

    static HazelcastClusterManager clusterManager(NodeConfig.Cluster cluster, String nodeId) {
        Config config = ConfigUtil.loadConfig();
        // So that the others can name this node by its Parley id (device routes use it) when it leaves.
        config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
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

    /**
     * Tells this node's verticles, on the bus and locally, when another member leaves the cluster
     * (a Hazelcast membership listener: Vert.x's own node listener slot is taken by Vert.x).
     */
    static void announceDepartures(HazelcastClusterManager members, io.vertx.core.Vertx vertx) {
        members.getHazelcastInstance().getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
            @Override
            public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {
            }

            @Override
            public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
                String parleyId = event.getMember().getAttribute(NODE_ATTRIBUTE);
                vertx.eventBus().publish(io.parley.bus.Addresses.NODE_LEFT, io.parley.proto.NodeLeft.newBuilder()
                                .setNodeId(parleyId != null ? parleyId : event.getMember().getUuid().toString()).build(),
                        new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
            }
        });
    }

    static EventBusOptions eventBus(NodeConfig.Cluster cluster) {
        return new EventBusOptions().setHost(cluster.host()).setPort(cluster.busPort()).setClusterPublicHost(cluster.host());
    }
}
