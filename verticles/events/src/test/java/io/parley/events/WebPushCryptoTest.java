package io.parley.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;

/**
 * The Web Push pieces alone: key encoding, the aes128gcm header layout, and refusals. Decryption by
 * an independent browser-side implementation is in client-sdk's PushTest.
 */
class WebPushCryptoTest {
    @Test
    void encodesAndDecodesUncompressedP256Keys() throws Exception {
        KeyPair keys = WebPushCrypto.newKeyPair();
        byte[] encoded = WebPushCrypto.encode((ECPublicKey) keys.getPublic());
        assertThat(encoded).hasSize(65);
        assertThat(encoded[0]).isEqualTo((byte) 4);
        assertThat(WebPushCrypto.decode(encoded).getW()).isEqualTo(((ECPublicKey) keys.getPublic()).getW());
    }

    @Test
    void writesOneRecordWithSaltRecordSizeAndTheSendersKey() throws Exception {
        byte[] ua = WebPushCrypto.encode((ECPublicKey) WebPushCrypto.newKeyPair().getPublic());
        byte[] body = WebPushCrypto.encrypt(ua, new byte[16], "{\"kind\":\"wake\"}".getBytes());
        ByteBuffer in = ByteBuffer.wrap(body);
        in.position(16);
        assertThat(in.getInt()).isEqualTo(4096);
        assertThat(in.get()).isEqualTo((byte) 65);
        assertThat(body[21]).as("the sender's key is an uncompressed point").isEqualTo((byte) 4);
        assertThat(body.length).as("header + payload + delimiter + tag").isEqualTo(16 + 4 + 1 + 65 + 15 + 1 + 16);
        assertThat(WebPushCrypto.encrypt(ua, new byte[16], "{\"kind\":\"wake\"}".getBytes())).as("fresh salt and key")
                .isNotEqualTo(body);
    }

    @Test
    void refusesKeysThatAreNoPointOnTheCurveAndOversizedPayloads() throws Exception {
        byte[] notAPoint = new byte[65];
        notAPoint[0] = 4;
        notAPoint[64] = 7;
        assertThatThrownBy(() -> WebPushCrypto.encrypt(notAPoint, new byte[16], new byte[1]))
                .isInstanceOf(java.security.GeneralSecurityException.class);
        assertThatThrownBy(() -> WebPushCrypto.decode(new byte[33])).isInstanceOf(java.security.InvalidKeyException.class);
        byte[] ua = WebPushCrypto.encode((ECPublicKey) WebPushCrypto.newKeyPair().getPublic());
        assertThatThrownBy(() -> WebPushCrypto.encrypt(ua, new byte[16], new byte[5000]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
