package io.parley.turn;

import io.netty.buffer.ByteBuf;
import java.time.Clock;

/**
 * Sorts what a client sends (RFC 8656 section 12: the first two bits tell STUN from ChannelData): ChannelData
 * and Send indications take the hot path through the allocation without decoding; everything else is a
 * request for the reader to hand to {@link TurnRequests}. Shared by the UDP and TCP readers.
 */
final class ClientTraffic {
    private final TurnStats stats;
    private final Clock clock;

    ClientTraffic(TurnStats stats, Clock clock) {
        this.stats = stats;
        this.clock = clock;
    }

    /** Where a request (anything but ChannelData and Send) goes: the reader builds its {@link Exchange}. */
    interface RequestSink {
        void request(byte[] message);
    }

    /**
     * One datagram or TCP frame, from its reader index, from a client whose allocation is {@code allocation}
     * (null if none); the caller keeps ownership of {@code buf}.
     */
    void receive(ByteBuf buf, Allocation allocation, RequestSink sink) {
        int at = buf.readerIndex();
        int readable = buf.readableBytes();
        if (readable < Stun.CHANNEL_DATA_HEADER) {
            stats.dropMalformed();
            return;
        }
        int first = buf.getUnsignedByte(at);
        if (first >= 0x40 && first <= 0x7F) {
            if (allocation == null || !allocation.ready()) {
                stats.dropUnknownChannel(); // ChannelData before any ChannelBind: discarded (section 12.4)
                return;
            }
            allocation.fromClientChannelData(buf, at, readable, clock.millis(), System.nanoTime());
            return;
        }
        if ((first & 0xC0) != 0 || readable < Stun.HEADER || buf.getInt(at + 4) != Stun.MAGIC_COOKIE) {
            stats.dropMalformed();
            return;
        }
        int length = buf.getUnsignedShort(at + 2);
        if (length % 4 != 0 || Stun.HEADER + length > readable) {
            stats.dropMalformed();
            return;
        }
        if (buf.getUnsignedShort(at) == Stun.type(Stun.SEND, Stun.CLASS_INDICATION)) {
            if (allocation == null || !allocation.ready()) {
                stats.dropNoPermission();
                return;
            }
            allocation.fromClientSend(buf, at, length, clock.millis(), System.nanoTime());
            return;
        }
        byte[] message = new byte[Stun.HEADER + length];
        buf.getBytes(at, message);
        sink.request(message);
    }
}
