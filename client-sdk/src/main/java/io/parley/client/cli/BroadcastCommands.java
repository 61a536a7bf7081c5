package io.parley.client.cli;

import io.parley.bus.Ids;
import io.parley.client.Broadcaster;
import io.parley.client.GroupsApi;
import io.parley.proto.BroadcastList;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code broadcast ...}: broadcast lists from the command line. LIST is an id as printed by create. */
public final class BroadcastCommands {
    private BroadcastCommands() {
    }

    @Command(name = "broadcast", description = "broadcast create NAME USER... | broadcast send LIST TEXT | broadcast list")
    public static final class Broadcast implements Callable<Integer> {
        @CommandLine.ParentCommand
        ClientMain main;

        @Parameters(arity = "1..*")
        List<String> words;

        @Override
        public Integer call() throws Exception {
            String action = words.get(0);
            boolean valid = (action.equals("create") && words.size() >= 3) || (action.equals("send") && words.size() == 3)
                    || (action.equals("list") && words.size() == 1);
            if (!valid) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "usage: broadcast create NAME USER... | broadcast send LIST TEXT | broadcast list");
            }
            try (GroupCommands.Session session = new GroupCommands.Session(main)) {
                GroupsApi api = new GroupsApi(session.client);
                switch (action) {
                    case "create" -> {
                        List<UUID> recipients = new ArrayList<>();
                        for (String user : words.subList(2, words.size())) {
                            recipients.add(Ids.uuid(main.resolve(session.client, user), "user_id"));
                        }
                        print(ClientMain.await(api.createBroadcastList(words.get(1), recipients)));
                    }
                    case "send" -> {
                        Broadcaster.Result result = ClientMain.await(new Broadcaster(session.client, session.messenger)
                                .send(UUID.fromString(words.get(1)), words.get(2).getBytes(StandardCharsets.UTF_8)));
                        main.out.println(main.json ? new JsonObject().put("sent", new JsonArray(result.sent().stream()
                                .map(UUID::toString).toList())).put("skipped", new JsonArray(result.skipped().stream()
                                .map(UUID::toString).toList())).encode()
                                : "sent to " + result.sent().size() + ", skipped " + result.skipped().size()
                                        + " (not having you as a contact)");
                    }
                    default -> ClientMain.await(session.client.send(io.parley.proto.Request.newBuilder()
                            .setListBroadcastLists(io.parley.proto.ListBroadcastListsRequest.getDefaultInstance())))
                            .getListBroadcastLists().getListsList().forEach(this::print);
                }
                session.awaitDrained();
            }
            return 0;
        }

        private void print(BroadcastList list) {
            main.out.println(main.json ? new JsonObject().put("listId", State.id(list.getListId())).put("name", list.getName())
                    .put("recipients", new JsonArray(list.getRecipientsList().stream().map(State::id).toList())).encode()
                    : "list " + State.id(list.getListId()) + "  " + list.getName() + "  (" + list.getRecipientsCount()
                            + " recipients)");
        }
    }
}
