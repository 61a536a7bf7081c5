package io.parley.client.backup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * A backup's encryption: a 256-bit key from the passphrase with Argon2id (BouncyCastle; memory,
 * iterations and lanes recorded in the header, so they can grow later), then AES-256-GCM with
 * the whole header as associated data. Layout: "PRLYBAK1", memory KiB, iterations, lanes (each
 * 4 bytes), 16-byte salt, 12-byte nonce, ciphertext with its 16-byte tag. A wrong passphrase
 * and a damaged blob both fail the tag check: {@link WrongPassphraseException}.
 */
public final class BackupCipher {
    private static final byte[] MAGIC = "PRLYBAK1".getBytes(StandardCharsets.US_ASCII);
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final int HEADER_BYTES = MAGIC.length + 12 + SALT_BYTES + NONCE_BYTES;
    /** The defaults: 64 MiB, 3 passes, 1 lane (OWASP's first Argon2id choice, a fraction of a second here). */
    public static final Params DEFAULT = new Params(64 * 1024, 3, 1);
    /** What a blob may ask for: enough to stop a hostile blob from exhausting memory or time. */
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_LANES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Argon2id cost: memory in KiB, passes, lanes. */
    public record Params(int memoryKib, int iterations, int lanes) {
    }

    /** The passphrase is wrong, or the blob was changed or damaged: GCM cannot tell these apart. */
    public static final class WrongPassphraseException extends Exception {
        WrongPassphraseException() {
            super("wrong passphrase, or the backup was damaged: it does not decrypt");
        }
    }

    private BackupCipher() {
    }

    public static byte[] encrypt(char[] passphrase, byte[] plaintext, Params params) throws GeneralSecurityException {
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(nonce);
        byte[] header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(params.memoryKib()).putInt(params.iterations())
                .putInt(params.lanes()).put(salt).put(nonce).array();
        Cipher gcm = cipher(Cipher.ENCRYPT_MODE, key(passphrase, salt, params), nonce);
        gcm.updateAAD(header);
        byte[] sealed = gcm.doFinal(plaintext);
        return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
    }

    public static byte[] decrypt(char[] passphrase, byte[] blob) throws GeneralSecurityException, WrongPassphraseException {
        if (blob.length < HEADER_BYTES + TAG_BITS / 8 || !Arrays.equals(Arrays.copyOf(blob, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("this is not a Parley backup (no PRLYBAK1 header)");
        }
        ByteBuffer in = ByteBuffer.wrap(blob);
        in.position(MAGIC.length);
        Params params = new Params(in.getInt(), in.getInt(), in.getInt());
        if (params.memoryKib() < 8 || params.memoryKib() > MAX_MEMORY_KIB || params.iterations() < 1
                || params.iterations() > MAX_ITERATIONS || params.lanes() < 1 || params.lanes() > MAX_LANES) {
            throw new IllegalArgumentException("the backup asks for an unreasonable key derivation: " + params);
        }
        byte[] salt = new byte[SALT_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(salt).get(nonce);
        Cipher gcm = cipher(Cipher.DECRYPT_MODE, key(passphrase, salt, params), nonce);
        gcm.updateAAD(blob, 0, HEADER_BYTES);
        try {
            return gcm.doFinal(blob, HEADER_BYTES, blob.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new WrongPassphraseException();
        }
    }

    private static byte[] key(char[] passphrase, byte[] salt, Params params) {
        Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
        argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKib()).withIterations(params.iterations()).withParallelism(params.lanes())
                .withSalt(salt).build());
        byte[] key = new byte[KEY_BYTES];
        argon2.generateBytes(passphrase, key);
        return key;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        Arrays.fill(key, (byte) 0);
        return gcm;
    }
}
