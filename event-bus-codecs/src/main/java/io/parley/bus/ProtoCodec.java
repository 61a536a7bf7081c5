package io.parley.bus;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * The one codec of the bus: any Parley protobuf message, written as its type name and its bytes.
 * Same-node deliveries pass the (immutable) message object itself.
 */
public final class ProtoCodec implements MessageCodec<Message, Message> {
    public static final String NAME = "parley-proto";

    private final ProtoTypes types;

    public ProtoCodec(ProtoTypes types) {
        this.types = types;
    }

    @Override
    public void encodeToWire(Buffer buffer, Message message) {
        byte[] type = message.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8);
        byte[] body = message.toByteArray();
        buffer.appendUnsignedShort(type.length).appendBytes(type).appendInt(body.length).appendBytes(body);
    }

    @Override
    public Message decodeFromWire(int pos, Buffer buffer) {
        int typeLength = buffer.getUnsignedShort(pos);
        String type = buffer.getString(pos + 2, pos + 2 + typeLength, "UTF-8");
        int bodyAt = pos + 2 + typeLength;
        int bodyLength = buffer.getInt(bodyAt);
        byte[] body = buffer.getBytes(bodyAt + 4, bodyAt + 4 + bodyLength);
        try {
            return types.parser(type).parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("undecodable bus message of type " + type, e);
        }
    }

    @Override
    public Message transform(Message message) {
        return message;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
