package io.parley.client.cli;

import io.parley.bus.Ids;
import io.parley.client.backup.BackupApi;
import io.parley.client.backup.BackupArchive;
import io.parley.client.backup.BackupCipher;
import io.parley.client.backup.MessageHistory;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Encrypted backup from the command line: {@code backup} encrypts this device's history
 * (STATE/history.jsonl) and settings (STATE/settings.json) with a key from a passphrase and
 * stores the blob on the server; {@code restore} brings them onto this device (a new one linked
 * to the account, say); {@code history} prints the history; {@code settings} keeps the settings.
 * The passphrase comes from --passphrase-file, PARLEY_BACKUP_PASSPHRASE or a prompt.
 */
final class BackupCommands {
    static final int MIN_PASSPHRASE = 8;
    static final String SETTINGS = "settings.json";
    static final String PASSPHRASE_VARIABLE = "PARLEY_BACKUP_PASSPHRASE";

    private BackupCommands() {
    }

    abstract static class WithPassphrase extends ClientMain.Sub {
        @Option(names = "--passphrase-file", description = "file whose first line is the passphrase")
        Path passphraseFile;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        char[] passphrase() throws IOException {
            String value;
            if (passphraseFile != null) {
                value = Files.readAllLines(passphraseFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            } else if (System.getenv(PASSPHRASE_VARIABLE) != null) {
                value = System.getenv(PASSPHRASE_VARIABLE);
            } else {
                Console console = System.console();
                if (console == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "give the passphrase with "
                            + "--passphrase-file or " + PASSPHRASE_VARIABLE + " (no terminal to ask on)");
                }
                return console.readPassword("backup passphrase: ");
            }
            return value.toCharArray();
        }

        BackupApi api(DeviceCredentials credentials) {
            return new BackupApi(main.vertx, main.addresses().get(0), credentials);
        }

        DeviceCredentials credentials() throws IOException {
            return main.stateFolder().credentials().orElseThrow(() -> new IllegalStateException(
                    "no account in " + main.state + ": register or link first"));
        }
    }

    @Command(name = "backup", description = "encrypt this device's history and settings and store them on the server")
    static final class Backup extends WithPassphrase {
        @Override
        public Integer call() throws Exception {
            char[] passphrase = passphrase();
            if (passphrase.length < MIN_PASSPHRASE) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "the passphrase must have at least " + MIN_PASSPHRASE + " characters");
            }
            DeviceCredentials credentials = credentials();
            BackupArchive archive = new BackupArchive(Ids.uuid(credentials.getUserId(), "user_id"),
                    System.currentTimeMillis(), new MessageHistory(main.state).entries(), settings(main.state));
            int bytes = ClientMain.await(api(credentials).backup(passphrase, archive));
            main.out.println(main.json ? new JsonObject().put("messages", archive.history().size()).put("bytes", bytes).encode()
                    : "backed up " + archive.history().size() + " messages (" + bytes + " bytes, encrypted)");
            return 0;
        }
    }

    @Command(name = "restore", description = "fetch the account's backup, decrypt it and merge it into this device")
    static final class Restore extends WithPassphrase {
        @Override
        public Integer call() throws Exception {
            DeviceCredentials credentials = credentials();
            BackupArchive archive;
            try {
                archive = ClientMain.await(api(credentials).restore(passphrase()));
            } catch (BackupCipher.WrongPassphraseException e) {
                main.err.println("error: " + e.getMessage());
                return ClientMain.REFUSED;
            }
            UUID self = Ids.uuid(credentials.getUserId(), "user_id");
            if (!archive.userId().equals(self)) {
                main.err.println("error: this backup belongs to account " + archive.userId() + ", not " + self);
                return ClientMain.REFUSED;
            }
            int added = new MessageHistory(main.state).merge(archive.history());
            JsonObject settings = settings(main.state).mergeIn(archive.settings());
            writeSettings(main.state, settings);
            main.out.println(main.json ? new JsonObject().put("restored", added).put("createdMs", archive.createdMs()).encode()
                    : "restored " + added + " messages and " + archive.settings().size() + " settings from the backup of "
                            + Instant.ofEpochMilli(archive.createdMs()));
            return 0;
        }
    }

    @Command(name = "history", description = "print this device's message history as JSON lines")
    static final class History extends ClientMain.Sub {
        @Override
        public Integer call() throws Exception {
            for (MessageHistory.Entry e : new MessageHistory(main.state).entries()) {
                main.out.println(new JsonObject().put("messageId", e.messageId().toString())
                        .put("direction", e.outgoing() ? "out" : "in").put("peer", e.peer().toString()).put("text", e.text())
                        .put("atMs", e.atMs()).encode());
            }
            return 0;
        }
    }

    @Command(name = "settings", description = "this device's settings: 'settings' lists them, 'settings KEY VALUE' sets one")
    static final class Settings extends ClientMain.Sub {
        @Parameters(arity = "0..2", description = "KEY VALUE")
        java.util.List<String> keyValue = new java.util.ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonObject settings = settings(main.state);
            if (keyValue.size() == 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give a KEY and a VALUE, or nothing");
            }
            if (keyValue.size() == 2) {
                settings.put(keyValue.get(0), keyValue.get(1));
                writeSettings(main.state, settings);
            }
            main.out.println(settings.encode());
            return 0;
        }
    }

    static JsonObject settings(Path state) throws IOException {
        Path file = state.resolve(SETTINGS);
        return Files.exists(file) ? new JsonObject(Files.readString(file)) : new JsonObject();
    }

    static void writeSettings(Path state, JsonObject settings) throws IOException {
        Path temp = Files.createTempFile(state, "settings", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, settings.encodePrettily());
        Files.move(temp, state.resolve(SETTINGS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
