package io.parley.client.signal;

import java.util.UUID;
import org.signal.libsignal.protocol.IdentityKey;

/**
 * A peer device's identity key differs from the one this device saw before: the safety number
 * with that user changed. The new key is accepted (as Signal does) and the app is told, so that
 * it can warn the user and offer to compare safety numbers again.
 */
public record IdentityChanged(UUID user, int device, IdentityKey previous, IdentityKey current) {
}
