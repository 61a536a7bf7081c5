package io.parley.bus;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.UUID;

/** UUIDs travel as 16-byte protobuf bytes; these convert, refusing any other length with 400. */
public final class Ids {
    private static final int UUID_BYTES = 16;

    private Ids() {
    }

    public static ByteString bytes(UUID id) {
        ByteBuffer buffer = ByteBuffer.allocate(UUID_BYTES);
        buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return ByteString.copyFrom(buffer.array());
    }

    /** The UUID in these bytes; 400 naming the field when they are not 16 bytes. */
    public static UUID uuid(ByteString bytes, String field) {
        if (bytes.size() != UUID_BYTES) {
            throw Failure.BAD_REQUEST.exception(field + " must be a 16-byte id, got " + bytes.size() + " bytes");
        }
        ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
