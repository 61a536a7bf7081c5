package io.parley.messaging;

import io.parley.proto.Envelope;
import java.util.UUID;

/** One envelope on its way into a device's inbox: the device and the envelope without its sequence yet. */
record InboxRow(UUID userId, int deviceId, Envelope envelope) {
}
