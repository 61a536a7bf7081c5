package io.parley.turn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the relay, read by tests, the benchmark and the node's log; cheap to bump from any loop. */
public final class TurnStats {
    private final LongAdder toPeer = new LongAdder();
    private final LongAdder toClient = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder unknownChannel = new LongAdder();
    private final LongAdder noPermission = new LongAdder();
    private final LongAdder overQuota = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger allocations = new AtomicInteger();
    private final LongAdder bytesToPeer = new LongAdder();
    private final LongAdder bytesToClient = new LongAdder();

    void addBytesToPeer(int bytes) {
        bytesToPeer.add(bytes);
    }

    void addBytesToClient(int bytes) {
        bytesToClient.add(bytes);
    }

    /** Payload bytes relayed from clients to peers (application data, without STUN or ChannelData framing). */
    public long bytesToPeer() {
        return bytesToPeer.sum();
    }

    /** Payload bytes relayed from peers to clients. */
    public long bytesToClient() {
        return bytesToClient.sum();
    }

    void onRelayToPeer() {
        toPeer.increment();
    }

    void onRelayToClient() {
        toClient.increment();
    }

    void dropMalformed() {
        malformed.increment();
    }

    void dropUnknownChannel() {
        unknownChannel.increment();
    }

    void dropNoPermission() {
        noPermission.increment();
    }

    void dropOverQuota() {
        overQuota.increment();
    }

    void authFailed() {
        authFailures.increment();
    }

    void request() {
        requests.increment();
    }

    AtomicInteger allocationCounter() {
        return allocations;
    }

    public long relayedToPeer() {
        return toPeer.sum();
    }

    public long relayedToClient() {
        return toClient.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long unknownChannel() {
        return unknownChannel.sum();
    }

    public long noPermission() {
        return noPermission.sum();
    }

    public long overQuota() {
        return overQuota.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public long requests() {
        return requests.sum();
    }

    public int allocations() {
        return allocations.get();
    }
}
