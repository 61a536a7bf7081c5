package io.parley.client.cli;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.client.media.Attachments;
import io.parley.client.signal.SecureMessenger;
import io.parley.client.status.Audience;
import io.parley.client.status.StatusApi;
import io.parley.proto.MessageContent;
import io.parley.proto.StatusPosted;
import io.parley.proto.StatusSummary;
import io.parley.proto.StatusViewers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code status post|list|view|viewers|reply}: status posts from the command line. A post goes to
 * every contact, or {@code --except USER...}, or {@code --only USER...}; each device gets its own
 * Signal-encrypted copy. A viewed post is kept decrypted in STATE/status (a Signal copy decrypts once);
 * its media is saved in STATE/files.
 */
public final class StatusCommands {
    private static final String VIEWED = "status";

    private StatusCommands() {
    }

    @Command(name = "status", description = "status post [TEXT] [--file PATH] [--except USER...|--only USER...] | "
            + "status list | status view POST | status viewers POST | status reply POST TEXT",
            subcommands = {Post.class, ListPosts.class, View.class, Viewers.class, Reply.class})
    public static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        ClientMain main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(spec.commandLine(), "name a status command: post, list, view, "
                    + "viewers or reply");
        }
    }

    /** Base of the status commands: the root options, a connected client and its messenger. */
    abstract static class StatusSub implements Callable<Integer> {
        @CommandLine.ParentCommand
        Status status;

        ClientMain main() {
            return status.main;
        }

        UUID postId(String id) {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "POST must be a post id like "
                        + UUID.randomUUID());
            }
        }
    }

    @Command(name = "post", description = "post a status (text, a file, or both) for a day; prints its id")
    static final class Post extends StatusSub {
        @Parameters(index = "0", arity = "0..1", description = "the text (with --file: its caption)")
        String text;

        @Option(names = "--file", description = "a picture, video or other file to show")
        Path file;

        @Option(names = "--except", arity = "1..*", description = "all contacts except these users")
        List<String> except;

        @Option(names = "--only", arity = "1..*", description = "only these contacts")
        List<String> only;

        @Override
        public Integer call() throws Exception {
            if (text == null && file == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "give the TEXT to post, or --file PATH");
            }
            if (except != null && only != null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "use --except or --only, not both");
            }
            if (file != null && !Files.isReadable(file)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "cannot read --file " + file);
            }
            ClientMain main = main();
            ParleyClient client = main.connect();
            SecureMessenger secure = Sealing.sending(client, main.state);
            Audience audience = except != null ? Audience.contactsExcept(users(client, except))
                    : only != null ? Audience.onlyShareWith(users(client, only)) : Audience.contacts();
            MessageContent.Builder content = MessageContent.newBuilder().setText(text == null ? "" : text);
            if (file != null) {
                Attachments attachments = new Attachments(secure);
                content.addAttachments(ClientMain.await(attachments.upload(file, Attachments.kindOf(file))));
                ClientMain.await(attachments.close());
            }
            StatusPosted posted = ClientMain.await(new StatusApi(secure).post(content.build(), audience));
            String id = State.id(posted.getPostId());
            main.out.println(main.json ? new JsonObject().put("postId", id).put("expiresAtMs", posted.getExpiresAtMs())
                    .encode() : "posted " + id + ", visible until " + Instant.ofEpochMilli(posted.getExpiresAtMs()));
            return 0;
        }

        private Set<UUID> users(ParleyClient client, List<String> names) throws Exception {
            Set<UUID> ids = new HashSet<>();
            for (String name : names) {
                ids.add(Ids.uuid(main().resolve(client, name), "user_id"));
            }
            return ids;
        }
    }

    @Command(name = "list", description = "the live status posts this device can see (its own included)")
    static final class ListPosts extends StatusSub {
        @Override
        public Integer call() throws Exception {
            ClientMain main = main();
            ParleyClient client = main.connect();
            for (StatusSummary post : ClientMain.await(new StatusApi(Sealing.sending(client, main.state)).list())) {
                main.out.println(main.json ? summary(post).encode() : "post " + State.id(post.getPostId()) + " by "
                        + State.id(post.getPoster()) + " until " + Instant.ofEpochMilli(post.getExpiresAtMs())
                        + (post.getViewed() ? " (viewed)" : ""));
            }
            return 0;
        }
    }

    @Command(name = "view", description = "show a post (its text, and the paths its media were saved to)")
    static final class View extends StatusSub {
        @Parameters(index = "0", description = "the post id")
        String post;

        @Override
        public Integer call() throws Exception {
            ClientMain main = main();
            UUID id = postId(post);
            Path kept = main.state.resolve(VIEWED).resolve(id + ".bin");
            ParleyClient client = main.connect();
            SecureMessenger secure = Sealing.sending(client, main.state);
            MessageContent content;
            JsonObject line = new JsonObject().put("postId", id.toString());
            if (Files.exists(kept)) {
                content = MessageContent.parseFrom(Files.readAllBytes(kept));
            } else {
                StatusApi.Viewed viewed = ClientMain.await(new StatusApi(secure).view(id));
                content = viewed.content();
                line = summary(viewed.post());
                Files.createDirectories(kept.getParent());
                Files.write(kept, content.toByteArray());
            }
            line.put("text", content.getText());
            if (content.getAttachmentsCount() > 0) {
                Attachments attachments = new Attachments(secure);
                line.put("files", ClientMain.await(Sealing.saveAll(attachments, content, main.state, id.toString())));
                ClientMain.await(attachments.close());
            }
            main.out.println(main.json ? line.encode() : content.getText()
                    + (line.containsKey("files") ? "\n" + String.join("\n", line.getJsonArray("files").getList()) : ""));
            return 0;
        }
    }

    @Command(name = "viewers", description = "who viewed one of your posts")
    static final class Viewers extends StatusSub {
        @Parameters(index = "0", description = "the post id")
        String post;

        @Override
        public Integer call() throws Exception {
            ClientMain main = main();
            ParleyClient client = main.connect();
            StatusViewers viewers = ClientMain.await(new StatusApi(Sealing.sending(client, main.state))
                    .viewers(postId(post)));
            viewers.getViewersList().forEach(v -> main.out.println(main.json ? new JsonObject()
                    .put("user", State.id(v.getUserId())).put("viewedAtMs", v.getViewedAtMs()).encode()
                    : State.id(v.getUserId()) + " at " + Instant.ofEpochMilli(v.getViewedAtMs())));
            if (!main.json) {
                main.out.println(viewers.getViewersCount() + " viewers");
            }
            return 0;
        }
    }

    @Command(name = "reply", description = "answer a post with a 1:1 message to its poster")
    static final class Reply extends StatusSub {
        @Parameters(index = "0", description = "the post id")
        String post;

        @Parameters(index = "1", description = "the text")
        String text;

        @Override
        public Integer call() throws Exception {
            ClientMain main = main();
            UUID id = postId(post);
            ParleyClient client = main.connect();
            StatusApi api = new StatusApi(Sealing.sending(client, main.state));
            StatusSummary found = ClientMain.await(api.list()).stream().filter(p -> Ids.uuid(p.getPostId(), "post_id")
                    .equals(id)).findFirst().orElseThrow(() -> new IllegalStateException("no live post " + id
                    + " for this device"));
            var sent = ClientMain.await(api.reply(found, text));
            main.out.println(main.json ? new JsonObject().put("messageId", State.id(sent.getMessageId())).encode()
                    : "replied " + State.id(sent.getMessageId()));
            return 0;
        }
    }

    private static JsonObject summary(StatusSummary post) {
        return new JsonObject().put("postId", State.id(post.getPostId())).put("poster", State.id(post.getPoster()))
                .put("postedAtMs", post.getPostedAtMs()).put("expiresAtMs", post.getExpiresAtMs())
                .put("viewed", post.getViewed());
    }

}
