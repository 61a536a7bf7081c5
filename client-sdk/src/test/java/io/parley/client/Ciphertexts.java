package io.parley.client;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.OutgoingEnvelope;
import io.parley.proto.Request;
import io.parley.proto.SendMessageRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/**
 * Ciphertexts made on a device's real session, sent as the test chooses (reordered, repeated,
 * truncated, tampered) through the real node. Both devices must be their account's only device.
 */
final class Ciphertexts {
    private Ciphertexts() {
    }

    /** Encrypts prefix0..prefix(n-1) on the sender's session with the recipient's primary device. */
    static List<byte[]> encrypt(SecureDevice from, SecureDevice to, int n, String prefix) throws Exception {
        SessionCipher cipher = new SessionCipher(from.secure.store(), new SignalProtocolAddress(to.user().toString(), to.device()));
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(cipher.encrypt((prefix + i).getBytes(StandardCharsets.UTF_8)).serialize());
        }
        return messages;
    }

    static void rawSend(SecureDevice from, SecureDevice to, int contentType, byte[] content) {
        Await.result(from.client.send(Request.newBuilder().setSendMessage(SendMessageRequest.newBuilder()
                .setClientMessageId(Ids.bytes(UUID.randomUUID())).setRecipient(to.credentials.getUserId())
                .addEnvelopes(OutgoingEnvelope.newBuilder().setUserId(to.credentials.getUserId()).setDeviceId(to.device())
                        .setContent(ByteString.copyFrom(content)).setContentType(contentType)))));
    }
}
