package io.parley.turn;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ChannelNumberAttribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.RequestedAddressFamilyAttribute;
import org.ice4j.attribute.RequestedTransportAttribute;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.message.Message;

/**
 * The control path: decodes requests with ice4j and answers Binding, Allocate, Refresh, CreatePermission
 * and ChannelBind (RFC 8489, RFC 8656). Runs on the client's event loop; authentication is in {@link Authenticator}.
 */
final class TurnRequests {
    static final int DEFAULT_LIFETIME_SECONDS = 600;
    static final int MAX_LIFETIME_SECONDS = 3600;

    private final Authenticator authenticator;
    private final PeerPolicy peers;
    private final Quotas quotas;
    private final RelaySockets relays;
    private final TurnStats stats;
    private final Clock clock;

    TurnRequests(Authenticator authenticator, PeerPolicy peers, Quotas quotas, RelaySockets relays, TurnStats stats,
            Clock clock) {
        this.authenticator = authenticator;
        this.peers = peers;
        this.quotas = quotas;
        this.relays = relays;
        this.stats = stats;
        this.clock = clock;
    }

    /** Answers one request; malformed input (anything ice4j cannot decode) is dropped without an answer. */
    void handle(Exchange in) {
        Message request;
        try {
            byte[] decodable = RawAttributes.forIce4j(in.bytes(), in.length());
            request = Message.decode(decodable, 0, decodable.length);
        } catch (Throwable malformed) { // ice4j throws more than StunException on some mutated inputs
            stats.dropMalformed();
            return;
        }
        int type = request.getMessageType();
        if (Stun.classOf(type) != Stun.CLASS_REQUEST) {
            stats.dropMalformed(); // indications other than Send, and responses, have no meaning here
            return;
        }
        stats.request();
        int method = Stun.methodOf(type);
        if (method == Stun.BINDING) {
            binding(in);
            return;
        }
        if (method != Stun.ALLOCATE && method != Stun.REFRESH && method != Stun.CREATE_PERMISSION
                && method != Stun.CHANNEL_BIND) {
            reply(in, Replies.error(method, in.transactionId(), TurnError.BAD_REQUEST, "unknown method " + method,
                    List.of(), null, in.hasFingerprint()));
            return;
        }
        List<Integer> unknown = RawAttributes.unknownRequired(in.bytes(), in.length());
        if (!unknown.isEmpty()) {
            UnknownAttributesAttribute attribute = AttributeFactory.createUnknownAttributesAttribute();
            unknown.forEach(t -> attribute.addAttributeID((char) (int) t));
            reply(in, Replies.error(method, in.transactionId(), TurnError.UNKNOWN_ATTRIBUTE, "unknown attribute",
                    List.of(attribute), null, in.hasFingerprint()));
            return;
        }
        Authenticator.Result auth = authenticator.authenticate(in, request, method);
        if (auth == null) {
            return; // the authenticator answered (401, 438, 429, 441, 400)
        }
        switch (method) {
            case Stun.ALLOCATE -> allocate(in, request, auth);
            case Stun.REFRESH -> refresh(in, request, auth);
            case Stun.CREATE_PERMISSION -> createPermission(in, auth);
            default -> channelBind(in, request, auth);
        }
    }

    private void binding(Exchange in) {
        Attribute mapped = AttributeFactory.createXorMappedAddressAttribute(
                new TransportAddress(in.path().remote, transportOf(in)), in.transactionId());
        reply(in, Replies.success(Stun.BINDING, in.transactionId(), List.of(mapped), null, in.hasFingerprint()));
    }

    private void allocate(Exchange in, Message request, Authenticator.Result auth) {
        byte[] tid = in.transactionId();
        Allocation existing = in.slot().get();
        if (existing != null) {
            if (Arrays.equals(existing.allocateTransaction, tid) && existing.username.equals(auth.username())) {
                if (existing.allocateResponse != null) {
                    reply(in, existing.allocateResponse); // a retransmission: same answer
                }
                return; // still binding its relay socket: the answer is on its way
            }
            fail(in, Stun.ALLOCATE, TurnError.ALLOCATION_MISMATCH, "this 5-tuple already has an allocation", auth);
            return;
        }
        if (!(request.getAttribute(Attribute.REQUESTED_TRANSPORT) instanceof RequestedTransportAttribute transport)) {
            fail(in, Stun.ALLOCATE, TurnError.BAD_REQUEST, "REQUESTED-TRANSPORT is missing", auth);
            return;
        }
        if (transport.getRequestedTransport() != Stun.UDP) {
            fail(in, Stun.ALLOCATE, TurnError.UNSUPPORTED_TRANSPORT, "only UDP relaying is offered", auth);
            return;
        }
        if (request.getAttribute(Attribute.REQUESTED_ADDRESS_FAMILY) instanceof RequestedAddressFamilyAttribute family
                && family.getFamily() != Stun.FAMILY_IPV4) {
            fail(in, Stun.ALLOCATE, TurnError.ADDRESS_FAMILY_NOT_SUPPORTED, "only IPv4 relay addresses are offered", auth);
            return;
        }
        if (request.containsAttribute(Attribute.RESERVATION_TOKEN)) {
            fail(in, Stun.ALLOCATE, TurnError.INSUFFICIENT_CAPACITY, "no port is reserved for this token", auth);
            return;
        }
        UserQuota[] granted = new UserQuota[1];
        Quotas.Refusal refusal = quotas.acquire(auth.userId(), System.nanoTime(), granted);
        if (refusal == Quotas.Refusal.USER_QUOTA) {
            fail(in, Stun.ALLOCATE, TurnError.ALLOCATION_QUOTA_REACHED, "this user holds its maximum of allocations", auth);
            return;
        }
        if (refusal == Quotas.Refusal.SERVER_FULL) {
            fail(in, Stun.ALLOCATE, TurnError.INSUFFICIENT_CAPACITY, "the server holds its maximum of allocations", auth);
            return;
        }
        int lifetime = Math.max(DEFAULT_LIFETIME_SECONDS, lifetime(request, DEFAULT_LIFETIME_SECONDS));
        Allocation allocation = new Allocation(auth.username(), auth.key(), granted[0], in.path(), stats);
        allocation.allocateTransaction = tid;
        in.slot().set(allocation);
        relays.open(in.loop(), allocation, request.containsAttribute(Attribute.EVEN_PORT),
                relay -> relayOpened(in, allocation, relay, lifetime, auth));
    }

    private void relayOpened(Exchange in, Allocation allocation, Channel relay, int lifetime, Authenticator.Result auth) {
        if (relay == null) {
            in.slot().clear(allocation);
            quotas.release(allocation.quota);
            fail(in, Stun.ALLOCATE, TurnError.INSUFFICIENT_CAPACITY, "no relay port is free", auth);
            return;
        }
        InetSocketAddress relayAddress = (InetSocketAddress) relay.localAddress();
        if (allocation.isClosed() || !in.path().outlet.channel.isActive()) {
            relay.close(); // the TCP client left while its relay socket was being bound
            relays.release(relayAddress.getPort());
            quotas.release(allocation.quota);
            in.slot().clear(allocation);
            return;
        }
        LoopState loop = in.loop();
        allocation.attach(new Outlet(relay, loop.batch), relayAddress, clock.millis() + lifetime * 1000L, () -> {
            in.slot().clear(allocation);
            loop.remove(allocation);
            relays.release(relayAddress.getPort());
            quotas.release(allocation.quota);
        });
        loop.add(allocation);
        relay.closeFuture().addListener(f -> allocation.close());
        byte[] tid = in.transactionId();
        List<Attribute> attributes = List.of(
                AttributeFactory.createXorRelayedAddressAttribute(new TransportAddress(relayAddress, Transport.UDP), tid),
                AttributeFactory.createLifetimeAttribute(lifetime),
                AttributeFactory.createXorMappedAddressAttribute(new TransportAddress(in.path().remote, transportOf(in)), tid));
        allocation.allocateResponse = Replies.success(Stun.ALLOCATE, tid, attributes, auth.key(), in.hasFingerprint());
        reply(in, allocation.allocateResponse);
    }

    private void refresh(Exchange in, Message request, Authenticator.Result auth) {
        Allocation allocation = in.slot().get();
        if (allocation == null || !allocation.ready()) {
            fail(in, Stun.REFRESH, TurnError.ALLOCATION_MISMATCH, "no allocation for this 5-tuple", auth);
            return;
        }
        int lifetime = lifetime(request, DEFAULT_LIFETIME_SECONDS);
        if (lifetime == 0) {
            allocation.close();
        } else {
            allocation.refresh(clock.millis() + lifetime * 1000L);
        }
        reply(in, Replies.success(Stun.REFRESH, in.transactionId(), List.of(AttributeFactory.createLifetimeAttribute(lifetime)),
                auth.key(), in.hasFingerprint()));
    }

    private void createPermission(Exchange in, Authenticator.Result auth) {
        Allocation allocation = in.slot().get();
        if (allocation == null || !allocation.ready()) {
            fail(in, Stun.CREATE_PERMISSION, TurnError.ALLOCATION_MISMATCH, "no allocation for this 5-tuple", auth);
            return;
        }
        List<InetSocketAddress> requested = RawAttributes.peers(in.bytes(), in.length());
        if (!checkPeers(in, Stun.CREATE_PERMISSION, requested, allocation, auth)) {
            return;
        }
        if (!allocation.permit(requested, clock.millis())) {
            fail(in, Stun.CREATE_PERMISSION, TurnError.INSUFFICIENT_CAPACITY,
                    "at most " + Allocation.MAX_PERMISSIONS + " permissions per allocation", auth);
            return;
        }
        reply(in, Replies.success(Stun.CREATE_PERMISSION, in.transactionId(), List.of(), auth.key(), in.hasFingerprint()));
    }

    private void channelBind(Exchange in, Message request, Authenticator.Result auth) {
        Allocation allocation = in.slot().get();
        if (allocation == null || !allocation.ready()) {
            fail(in, Stun.CHANNEL_BIND, TurnError.ALLOCATION_MISMATCH, "no allocation for this 5-tuple", auth);
            return;
        }
        if (!(request.getAttribute(Attribute.CHANNEL_NUMBER) instanceof ChannelNumberAttribute channel)) {
            fail(in, Stun.CHANNEL_BIND, TurnError.BAD_REQUEST, "CHANNEL-NUMBER is missing", auth);
            return;
        }
        int number = channel.getChannelNumber();
        if (number < Stun.MIN_CHANNEL || number > Stun.MAX_CHANNEL) {
            fail(in, Stun.CHANNEL_BIND, TurnError.BAD_REQUEST, "channel numbers are 0x4000 to 0x7FFF", auth);
            return;
        }
        List<InetSocketAddress> requested = RawAttributes.peers(in.bytes(), in.length());
        if (requested.size() > 1) {
            fail(in, Stun.CHANNEL_BIND, TurnError.BAD_REQUEST, "one XOR-PEER-ADDRESS per ChannelBind", auth);
            return;
        }
        if (!checkPeers(in, Stun.CHANNEL_BIND, requested, allocation, auth)) {
            return;
        }
        switch (allocation.bind(number, requested.get(0), clock.millis())) {
            case CONFLICT -> fail(in, Stun.CHANNEL_BIND, TurnError.BAD_REQUEST,
                    "the channel or the peer is bound to another", auth);
            case FULL -> fail(in, Stun.CHANNEL_BIND, TurnError.INSUFFICIENT_CAPACITY,
                    "at most " + Allocation.MAX_CHANNELS + " channels per allocation", auth);
            default -> reply(in, Replies.success(Stun.CHANNEL_BIND, in.transactionId(), List.of(), auth.key(),
                    in.hasFingerprint()));
        }
    }

    /** Refuses a peer list that is empty, of another family than the relay, or not allowed (403). */
    private boolean checkPeers(Exchange in, int method, List<InetSocketAddress> requested, Allocation allocation,
            Authenticator.Result auth) {
        if (requested.isEmpty() || requested.contains(null)) {
            fail(in, method, TurnError.BAD_REQUEST, "XOR-PEER-ADDRESS is missing or malformed", auth);
            return false;
        }
        for (InetSocketAddress peer : requested) {
            if (!allocation.sameFamily(peer)) {
                fail(in, method, TurnError.PEER_ADDRESS_FAMILY_MISMATCH, "the relay is IPv4", auth);
                return false;
            }
            if (!peers.permits(peer.getAddress())) {
                fail(in, method, TurnError.FORBIDDEN, "relaying to " + peer.getAddress().getHostAddress()
                        + " is not allowed", auth);
                return false;
            }
        }
        return true;
    }

    private static int lifetime(Message request, int fallback) {
        int requested = request.getAttribute(Attribute.LIFETIME) instanceof LifetimeAttribute l ? l.getLifetime() : fallback;
        if (requested == 0) {
            return 0;
        }
        return Math.max(DEFAULT_LIFETIME_SECONDS, Math.min(requested, MAX_LIFETIME_SECONDS));
    }

    private void fail(Exchange in, int method, TurnError error, String reason, Authenticator.Result auth) {
        reply(in, Replies.error(method, in.transactionId(), error, reason, List.of(), auth.key(), in.hasFingerprint()));
    }

    static void reply(Exchange in, byte[] message) {
        in.path().write(Unpooled.wrappedBuffer(message));
    }

    private static Transport transportOf(Exchange in) {
        return in.path().padsChannelData() ? Transport.TCP : Transport.UDP;
    }
}
