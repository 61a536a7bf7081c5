package io.parley.client;

import io.parley.bus.Ids;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/**
 * Sends a broadcast: asks the server which of the list's recipients may get it now (those who have
 * this user in their contacts) and sends each of them an ordinary 1:1 message through
 * {@link Messenger}, so replies come back 1:1 and each copy is sealed per recipient.
 */
public final class Broadcaster {
    /** Who got the broadcast and who was skipped (not a contact of theirs, or blocked). */
    public record Result(List<UUID> sent, List<UUID> skipped) {
    }

    private static final int WIDTH = 16;

    private final ParleyClient client;
    private final Messenger messenger;
    private final GroupsApi api;

    public Broadcaster(ParleyClient client, Messenger messenger) {
        this.client = client;
        this.messenger = messenger;
        this.api = new GroupsApi(client);
    }

    public Future<Result> send(UUID listId, byte[] plaintext) {
        return api.broadcastTargets(listId).compose(targets -> {
            List<UUID> eligible = targets.getEligibleList().stream().map(b -> Ids.uuid(b, "eligible")).toList();
            List<UUID> skipped = targets.getSkippedList().stream().map(b -> Ids.uuid(b, "skipped")).toList();
            return Lanes.forEach(eligible, WIDTH, user -> GroupMessenger.sendRetryingWhenLimited(client, messenger, user,
                    plaintext, 0)).map(v -> new Result(eligible, skipped));
        });
    }
}
