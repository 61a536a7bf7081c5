package io.parley.client.cli;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.client.signal.KeyPublisher;
import io.parley.client.signal.SafetyNumbers;
import io.parley.proto.KeyCounts;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** End-to-end encryption from the command line: key publication after register/link, safety numbers. */
final class SignalCommands {
    private SignalCommands() {
    }

    /** Generates this device's Signal keys in the state folder and uploads them (after register and link). */
    static void publish(ClientMain main) throws Exception {
        ParleyClient client = main.connect();
        KeyCounts counts = ClientMain.await(KeyPublisher.publish(client, main.state));
        if (!main.json) {
            main.out.println("published Signal keys: " + counts.getPreKeys() + " one-time EC and "
                    + counts.getKyberPreKeys() + " Kyber prekeys");
        }
        ClientMain.await(client.close());
    }

    @Command(name = "safety-number", description = "print the safety number with USER (compare it with theirs)")
    static final class SafetyNumber extends ClientMain.Sub {
        @Parameters(index = "0", description = "a username or a +E164 phone number")
        String user;

        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            var peer = Ids.uuid(main.resolve(client, user), "user_id");
            String number = ClientMain.await(SafetyNumbers.of(client, main.state, peer));
            main.out.println(main.json ? new JsonObject().put("user", user).put("safetyNumber", number).encode() : number);
            ClientMain.await(client.close());
            return 0;
        }
    }
}
