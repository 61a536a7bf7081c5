package io.parley.client.signal;

import org.signal.libsignal.protocol.message.CiphertextMessage;

/**
 * The {@code content_type} tags the SDK puts on envelopes (the server never reads them): Signal's
 * own ciphertext types, a session reset request, and a filler for devices a control message is
 * not meant for (the server wants an envelope for every device of a send).
 */
public final class ContentTypes {
    /** A Double Ratchet message on an established session. */
    public static final int SIGNAL_MESSAGE = CiphertextMessage.WHISPER_TYPE;
    /** The first messages of a session (PQXDH): carries what the recipient needs to set it up. */
    public static final int PREKEY_MESSAGE = CiphertextMessage.PREKEY_TYPE;
    /**
     * "I could not decrypt your message: here is a new session." A prekey message on a session the
     * requester built from a fresh bundle; its plaintext is the server id of the failed message.
     */
    public static final int SESSION_RESET = 16;
    /** Ignored by the receiving device: a control message meant for another device of the send. */
    public static final int FILLER = 17;

    private ContentTypes() {
    }

    static boolean encrypted(int type) {
        return type == SIGNAL_MESSAGE || type == PREKEY_MESSAGE || type == SESSION_RESET;
    }
}
