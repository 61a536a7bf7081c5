package io.parley.client.cli;

import io.parley.client.ParleyClient;
import io.parley.proto.AddContactRequest;
import io.parley.proto.BlockRequest;
import io.parley.proto.Contact;
import io.parley.proto.ListContactsRequest;
import io.parley.proto.RemoveContactRequest;
import io.parley.proto.Request;
import io.parley.proto.UnblockRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Contacts and blocking. USER is a username or a +E164 phone number. */
final class PeopleCommands {
    private PeopleCommands() {
    }

    @Command(name = "contacts", description = "contacts add USER | contacts remove USER | contacts list")
    static final class Contacts extends ClientMain.Sub {
        @Parameters(arity = "1..2")
        List<String> words;

        @Override
        public Integer call() throws Exception {
            String action = words.get(0);
            if (!(action.equals("list") && words.size() == 1) && !(List.of("add", "remove").contains(action) && words.size() == 2)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "usage: contacts add USER | contacts remove USER | contacts list");
            }
            ParleyClient client = main.connect();
            switch (action) {
                case "add" -> {
                    AddContactRequest.Builder add = AddContactRequest.newBuilder();
                    if (words.get(1).startsWith("+")) {
                        add.setPhone(words.get(1));
                    } else {
                        add.setUsername(words.get(1));
                    }
                    print(main.request(client, Request.newBuilder().setAddContact(add)).getAddContact());
                }
                case "remove" -> {
                    main.request(client, Request.newBuilder().setRemoveContact(RemoveContactRequest.newBuilder()
                            .setUserId(main.resolve(client, words.get(1)))));
                    main.out.println("removed " + words.get(1));
                }
                default -> main.request(client, Request.newBuilder().setListContacts(ListContactsRequest.getDefaultInstance()))
                        .getListContacts().getContactsList().forEach(this::print);
            }
            return 0;
        }

        private void print(Contact c) {
            main.out.println(main.json ? new JsonObject().put("userId", State.id(c.getUserId())).put("username", c.getUsername())
                    .put("displayName", c.getDisplayName()).encode()
                    : c.getUsername() + (c.getDisplayName().isEmpty() ? "" : "  " + c.getDisplayName()));
        }
    }

    @Command(name = "block", description = "block USER: they can no longer message you")
    static final class Block extends ClientMain.Sub {
        @Parameters(index = "0")
        String user;

        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            main.request(client, Request.newBuilder().setBlock(BlockRequest.newBuilder().setUserId(main.resolve(client, user))));
            main.out.println("blocked " + user);
            return 0;
        }
    }

    @Command(name = "unblock", description = "unblock USER")
    static final class Unblock extends ClientMain.Sub {
        @Parameters(index = "0")
        String user;

        @Override
        public Integer call() throws Exception {
            ParleyClient client = main.connect();
            main.request(client, Request.newBuilder().setUnblock(UnblockRequest.newBuilder().setUserId(main.resolve(client, user))));
            main.out.println("unblocked " + user);
            return 0;
        }
    }
}
