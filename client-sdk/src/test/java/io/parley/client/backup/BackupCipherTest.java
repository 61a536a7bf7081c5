package io.parley.client.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The backup format on its own: Argon2id + AES-256-GCM round trip, wrong passphrase, tampering, hostile headers. */
class BackupCipherTest {
    private static final BackupCipher.Params FAST = new BackupCipher.Params(8 * 1024, 1, 1);
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @Test
    void decryptsWhatItEncryptedWithTheSamePassphrase() throws Exception {
        UUID user = UUID.randomUUID();
        BackupArchive archive = new BackupArchive(user, 42, List.of(new MessageHistory.Entry(UUID.randomUUID(), false,
                UUID.randomUUID(), "hello", 7)), new JsonObject().put("theme", "dark"));
        byte[] blob = BackupCipher.encrypt(PASSPHRASE, archive.toBytes(), FAST);
        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).startsWith("PRLYBAK1").doesNotContain("hello");
        assertThat(BackupArchive.fromBytes(BackupCipher.decrypt(PASSPHRASE, blob))).isEqualTo(archive);
    }

    @Test
    void aWrongPassphraseOrAChangedByteDoesNotDecrypt() throws Exception {
        byte[] blob = BackupCipher.encrypt(PASSPHRASE, "x".getBytes(StandardCharsets.UTF_8), FAST);
        assertThatThrownBy(() -> BackupCipher.decrypt("wrong horse battery staple".toCharArray(), blob))
                .isInstanceOf(BackupCipher.WrongPassphraseException.class).hasMessageContaining("wrong passphrase");
        byte[] tampered = blob.clone();
        tampered[tampered.length - 20] ^= 1;
        assertThatThrownBy(() -> BackupCipher.decrypt(PASSPHRASE, tampered)).isInstanceOf(BackupCipher.WrongPassphraseException.class);
        byte[] header = blob.clone();
        header[45] ^= 1;
        assertThatThrownBy(() -> BackupCipher.decrypt(PASSPHRASE, header)).as("the header is authenticated too")
                .isInstanceOf(BackupCipher.WrongPassphraseException.class);
    }

    @Test
    void refusesBlobsThatAreNoBackupOrAskForAbsurdKeyDerivation() throws Exception {
        assertThatThrownBy(() -> BackupCipher.decrypt(PASSPHRASE, "not a backup at all, really".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRLYBAK1");
        byte[] blob = BackupCipher.encrypt(PASSPHRASE, "x".getBytes(StandardCharsets.UTF_8), FAST);
        ByteBuffer.wrap(blob).putInt(8, Integer.MAX_VALUE);
        assertThatThrownBy(() -> BackupCipher.decrypt(PASSPHRASE, blob)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unreasonable");
    }

    @Test
    void theDefaultCostIsArgon2idWith64MiB() {
        assertThat(BackupCipher.DEFAULT).isEqualTo(new BackupCipher.Params(64 * 1024, 3, 1));
    }
}
