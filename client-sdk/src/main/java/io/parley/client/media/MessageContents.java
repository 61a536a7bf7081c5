package io.parley.client.media;

import com.google.protobuf.InvalidProtocolBufferException;
import io.parley.proto.MessageContent;
import java.nio.charset.StandardCharsets;

/**
 * A message's plaintext: UTF-8 text as it always was, or the byte 0x00 followed by a
 * {@link MessageContent} (attachments, a caption, a status reply). UTF-8 text never starts with 0x00.
 */
public final class MessageContents {
    private static final byte STRUCTURED = 0;

    private MessageContents() {
    }

    public static byte[] encode(MessageContent content) {
        if (content.getAttachmentsCount() == 0 && content.getStatusPostId().isEmpty()) {
            return content.getText().getBytes(StandardCharsets.UTF_8);
        }
        byte[] body = content.toByteArray();
        byte[] plaintext = new byte[body.length + 1];
        plaintext[0] = STRUCTURED;
        System.arraycopy(body, 0, plaintext, 1, body.length);
        return plaintext;
    }

    /** The content of a plaintext; text that fails to parse as structured stays text. */
    public static MessageContent decode(byte[] plaintext) {
        if (plaintext.length > 0 && plaintext[0] == STRUCTURED) {
            try {
                return MessageContent.parseFrom(java.util.Arrays.copyOfRange(plaintext, 1, plaintext.length));
            } catch (InvalidProtocolBufferException e) {
                // Not ours: shown as text below.
            }
        }
        return MessageContent.newBuilder().setText(new String(plaintext, StandardCharsets.UTF_8)).build();
    }
}
