package io.parley.messaging;

import io.parley.proto.Envelope;
import java.util.UUID;

/**
 * One envelope on its way into a device's inbox: the device and the envelope without its sequence
 * yet. With a body id, the row points at a shared body instead of holding the content itself.
 */
record InboxRow(UUID userId, int deviceId, Envelope envelope, UUID bodyId) {
    InboxRow(UUID userId, int deviceId, Envelope envelope) {
        this(userId, deviceId, envelope, null);
    }
}
