// The backup format against the Java SDK: blobs made by BackupCipher/BackupArchive
// (test/fixtures/backup-sdk.json, BackupVectorsWriter) decrypt and read here; a wrong passphrase,
// a changed byte and a foreign blob are refused; what this side makes reads back the same way.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { archiveFromBytes, archiveToBytes } from '../src/app/backup/backupArchive.js';
import { decryptBackup, encryptBackup, WrongPassphraseError } from '../src/app/backup/backupCipher.js';
import { fromBase64 } from '../src/signal/index.js';

interface Vector {
  passphrase: string;
  memoryKib: number;
  iterations: number;
  lanes: number;
  blob: string;
  archive: { userId: string; createdMs: number; history: unknown[]; settings: Record<string, unknown> };
}

const { vectors } = JSON.parse(readFileSync(new URL('./fixtures/backup-sdk.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

describe('backup made by the Java SDK', () => {
  for (const v of vectors) {
    it(`decrypts and reads with Argon2id m=${v.memoryKib} t=${v.iterations} p=${v.lanes}`, async () => {
      const archive = await archiveFromBytes(await decryptBackup(v.passphrase, fromBase64(v.blob)));
      expect(archive.userId).toBe(v.archive.userId);
      expect(archive.createdMs).toBe(v.archive.createdMs);
      expect(archive.history).toEqual(v.archive.history);
      expect(archive.settings).toEqual(v.archive.settings);
    });
  }

  it('refuses a wrong passphrase', async () => {
    const v = vectors.find((x) => x.memoryKib < 1024)!;
    await expect(decryptBackup(v.passphrase + '!', fromBase64(v.blob))).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('refuses a blob with one byte changed, in the header or the ciphertext', async () => {
    const v = vectors.find((x) => x.memoryKib < 1024)!;
    for (const at of [30, fromBase64(v.blob).length - 1]) {
      const changed = fromBase64(v.blob);
      changed[at]! ^= 1;
      await expect(decryptBackup(v.passphrase, changed)).rejects.toBeInstanceOf(WrongPassphraseError);
    }
  });

  it('refuses what is not a Parley backup, and a header asking for absurd costs', async () => {
    await expect(decryptBackup('whatever it is', new TextEncoder().encode('{"not":"a backup"}'))).rejects.toThrow(/PRLYBAK1/);
    const v = vectors[0]!;
    const greedy = fromBase64(v.blob);
    new DataView(greedy.buffer).setUint32(8, 64 * 1024 * 1024);
    await expect(decryptBackup(v.passphrase, greedy)).rejects.toThrow(/unreasonable key derivation/);
  });
});

describe('backup made here', () => {
  it('round-trips with the SDK format and refuses another passphrase', async () => {
    const contents = { userId: '0b8f6d1e-2f4a-4c1e-9a7e-3d2c1b0a9f8e', createdMs: 1_700_000_000_000,
      history: [{ messageId: '9f0e1d2c-3b4a-4958-8776-655443322110', outgoing: true, peer: '11111111-2222-4333-8444-555555555555',
        text: 'saved ✓', atMs: 1_700_000_000_005 }], settings: { 'web.chats': [] } };
    const params = { memoryKib: 256, iterations: 2, lanes: 1 };
    const blob = await encryptBackup('a passphrase here', await archiveToBytes(contents), params);
    expect(new TextDecoder().decode(blob.slice(0, 8))).toBe('PRLYBAK1');
    expect(new DataView(blob.buffer).getUint32(8)).toBe(256);
    expect(await archiveFromBytes(await decryptBackup('a passphrase here', blob))).toEqual(contents);
    await expect(decryptBackup('another passphrase', blob)).rejects.toBeInstanceOf(WrongPassphraseError);
  });
});
