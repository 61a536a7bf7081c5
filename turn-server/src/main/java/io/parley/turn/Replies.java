package io.parley.turn;

import java.util.List;
import org.ice4j.StunException;
import org.ice4j.attribute.Attribute;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Response;

/**
 * Encodes responses with ice4j (which adds SOFTWARE from {@code -Dice4j.software=}), then appends
 * MESSAGE-INTEGRITY and FINGERPRINT over the encoded bytes ({@link Integrity}).
 */
final class Replies {
    private Replies() {
    }

    static byte[] success(int method, byte[] transactionId, List<Attribute> attributes, byte[] key, boolean fingerprint) {
        Response response = MessageFactory.createChannelBindResponse();
        response.setMessageType((char) Stun.type(method, Stun.CLASS_SUCCESS));
        return encode(response, transactionId, attributes, key, fingerprint);
    }

    static byte[] error(int method, byte[] transactionId, TurnError error, String reason, List<Attribute> attributes,
            byte[] key, boolean fingerprint) {
        Response response = MessageFactory.createChannelBindErrorResponse((char) error.code(), reason);
        response.setMessageType((char) Stun.type(method, Stun.CLASS_ERROR));
        return encode(response, transactionId, attributes, key, fingerprint);
    }

    private static byte[] encode(Response response, byte[] transactionId, List<Attribute> attributes, byte[] key,
            boolean fingerprint) {
        try {
            response.setTransactionID(transactionId);
        } catch (StunException e) {
            throw new IllegalArgumentException("a transaction id has 12 bytes", e);
        }
        for (Attribute attribute : attributes) {
            response.putAttribute(attribute);
        }
        return Integrity.seal(response.encode(null), key, fingerprint);
    }
}
