package io.parley.client.cli;

import io.parley.bus.Ids;
import io.parley.client.GroupMessenger;
import io.parley.client.signal.SecureMessenger;
import io.parley.client.GroupsApi;
import io.parley.client.Messenger;
import io.parley.client.ParleyClient;
import io.parley.client.SenderKeyFiles;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.CreateGroupRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Group;
import io.parley.proto.GroupInvite;
import io.parley.proto.GroupMember;
import io.parley.proto.InfoEditors;
import io.parley.proto.JoinGroupResponse;
import io.parley.proto.SendMessageResponse;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code group ...}: groups from the command line (broadcast lists: {@link BroadcastCommands}).
 * GROUP and LIST are ids as printed by create; USER is a username or a +E164 phone number. Group
 * messages received while a command runs are printed as JSON lines ({"type":"group","groupId":...}).
 */
public final class GroupCommands {
    private GroupCommands() {
    }

    /** A connected session with group messaging, its sender keys in the state folder. */
    static final class Session implements AutoCloseable {
        final ParleyClient client;
        final Messenger messenger;
        final GroupMessenger groups;
        final SenderKeyFiles keys;
        private final Promise<Void> drained = Promise.promise();

        Session(ClientMain main) throws Exception {
            DeviceCredentials credentials = main.stateFolder().credentials().orElseThrow(() -> new IllegalStateException(
                    "no account in " + main.state + ": register or link first"));
            client = ParleyClient.create(main.vertx, main.addresses(), credentials);
            // Sender keys go to each member device over the Signal 1:1 channel; 1:1 messages that
            // arrive meanwhile are printed like receive prints them, not dropped.
            SecureMessenger secure = Sealing.receiving(client, main.state);
            messenger = secure.messenger();
            keys = SenderKeyFiles.open(main.vertx, main.state);
            groups = GroupMessenger.over(secure, keys).onMessage(m -> main.out.println(m.toJson().encode()))
                    .onOther(e -> main.out.println(oneToOne(e).encode()));
            client.onPush(p -> {
                if (p.hasInboxDrained()) {
                    drained.tryComplete();
                }
            });
            ClientMain.await(client.connect());
        }

        private static io.vertx.core.json.JsonObject oneToOne(io.parley.proto.Envelope e) {
            io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject()
                    .put("kind", e.getKind().name().toLowerCase()).put("messageId", State.id(e.getMessageId()))
                    .put("from", State.id(e.getSenderUser())).put("fromDevice", e.getSenderDevice())
                    .put("serverTimestampMs", e.getServerTimestampMs());
            if (e.getKind() == io.parley.proto.Envelope.Kind.MESSAGE || e.getKind() == io.parley.proto.Envelope.Kind.EDIT) {
                json.put("text", e.getContent().toStringUtf8());
            }
            return json;
        }

        /** Waits until what was queued for this device before it connected has been received. */
        void awaitDrained() throws Exception {
            ClientMain.await(drained.future());
            ClientMain.await(messenger.settled());
        }

        @Override
        public void close() throws Exception {
            ClientMain.await(messenger.flushAcks());
            ClientMain.await(keys.flush());
            ClientMain.await(client.close());
        }
    }

    abstract static class GroupSub implements Callable<Integer> {
        @CommandLine.ParentCommand
        Groups parent;

        ClientMain main() {
            return parent.main;
        }

        @Override
        public Integer call() throws Exception {
            try (Session session = new Session(main())) {
                int code = run(session, new GroupsApi(session.client));
                session.awaitDrained();
                return code;
            }
        }

        abstract int run(Session session, GroupsApi api) throws Exception;

        List<UUID> users(Session session, List<String> names) throws Exception {
            List<UUID> ids = new ArrayList<>();
            for (String name : names) {
                ids.add(Ids.uuid(main().resolve(session.client, name), "user_id"));
            }
            return ids;
        }

        void print(Group group) {
            ClientMain main = main();
            if (main.json) {
                JsonArray members = new JsonArray();
                group.getMembersList().forEach(m -> members.add(new JsonObject().put("userId", State.id(m.getUserId()))
                        .put("admin", m.getAdmin()).put("devices", new JsonArray(m.getDeviceIdsList()))));
                main.out.println(new JsonObject().put("groupId", State.id(group.getGroupId())).put("subject", group.getSubject())
                        .put("description", group.getDescription()).put("announcementOnly", group.getAnnouncementOnly())
                        .put("adminsEditInfo", group.getInfoEditors() == InfoEditors.ADMINS_ONLY)
                        .put("revision", group.getRevision()).put("members", members)
                        .put("pending", new JsonArray(group.getPendingList().stream().map(p -> State.id(p.getUserId())).toList()))
                        .encode());
                return;
            }
            main.out.println("group " + State.id(group.getGroupId()) + "  " + group.getSubject() + "  (" + group.getMembersCount()
                    + " members, revision " + group.getRevision() + (group.getAnnouncementOnly() ? ", announcements" : "") + ")");
            for (GroupMember m : group.getMembersList()) {
                main.out.println("  " + State.id(m.getUserId()) + (m.getAdmin() ? "  admin" : "") + "  devices "
                        + m.getDeviceIdsList());
            }
            group.getPendingList().forEach(p -> main.out.println("  pending " + State.id(p.getUserId())));
        }
    }

    @Command(name = "group", description = "groups: create, info, list, add, remove, promote, demote, leave, invite, join, "
            + "approve, reject, send, receive",
            subcommands = {Create.class, Info.class, ListGroups.class, Add.class, Remove.class, Promote.class, Demote.class,
                    Leave.class, Invite.class, Join.class, Approve.class, Reject.class, Send.class, Receive.class})
    public static final class Groups {
        @CommandLine.ParentCommand
        ClientMain main;
    }

    @Command(name = "create", description = "create SUBJECT [--member USER]...: a new group with you as its admin")
    static final class Create extends GroupSub {
        @Parameters(index = "0")
        String subject;

        @Option(names = "--member", description = "a member to add (repeatable)")
        List<String> members = new ArrayList<>();

        @Option(names = "--description")
        String description = "";

        @Option(names = "--announcement", description = "only admins send")
        boolean announcement;

        @Option(names = "--admins-edit-info", description = "only admins change subject, description and avatar")
        boolean adminsEdit;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            CreateGroupRequest.Builder create = CreateGroupRequest.newBuilder().setSubject(subject).setDescription(description)
                    .setAnnouncementOnly(announcement).setInfoEditors(adminsEdit ? InfoEditors.ADMINS_ONLY : InfoEditors.ALL_MEMBERS)
                    .addAllMembers(users(session, members).stream().map(Ids::bytes).toList());
            print(ClientMain.await(api.create(create)));
            return 0;
        }
    }

    @Command(name = "info", description = "info GROUP: subject, settings, members and their devices")
    static final class Info extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            print(ClientMain.await(api.get(group)));
            return 0;
        }
    }

    @Command(name = "list", description = "list: the groups you are in")
    static final class ListGroups extends GroupSub {
        @Override
        int run(Session session, GroupsApi api) throws Exception {
            ClientMain.await(api.list()).getGroupsList().forEach(this::print);
            return 0;
        }
    }

    abstract static class MemberChange extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Parameters(index = "1..*", arity = "1..*")
        List<String> users;

        abstract ChangeMembersRequest.Action action();

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            print(ClientMain.await(api.changeMembers(group, action(), users(session, users))));
            return 0;
        }
    }

    @Command(name = "add", description = "add GROUP USER...: admins only")
    static final class Add extends MemberChange {
        ChangeMembersRequest.Action action() {
            return ChangeMembersRequest.Action.ADD;
        }
    }

    @Command(name = "remove", description = "remove GROUP USER...: admins only")
    static final class Remove extends MemberChange {
        ChangeMembersRequest.Action action() {
            return ChangeMembersRequest.Action.REMOVE;
        }
    }

    @Command(name = "promote", description = "promote GROUP USER...: make admins")
    static final class Promote extends MemberChange {
        ChangeMembersRequest.Action action() {
            return ChangeMembersRequest.Action.PROMOTE;
        }
    }

    @Command(name = "demote", description = "demote GROUP USER...: take admin away")
    static final class Demote extends MemberChange {
        ChangeMembersRequest.Action action() {
            return ChangeMembersRequest.Action.DEMOTE;
        }
    }

    @Command(name = "leave", description = "leave GROUP")
    static final class Leave extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            ClientMain.await(api.leave(group));
            main().out.println("left " + group);
            return 0;
        }
    }

    @Command(name = "invite", description = "invite GROUP [--approval] [--ttl SECONDS] | invite GROUP --revoke")
    static final class Invite extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Option(names = "--approval", description = "joiners wait for an admin's approval")
        boolean approval;

        @Option(names = "--ttl", description = "seconds the link lives (default 7 days)")
        int ttlSeconds;

        @Option(names = "--revoke", description = "revoke the group's link")
        boolean revoke;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            if (revoke) {
                ClientMain.await(api.revokeInvite(group));
                main().out.println("revoked the invite link of " + group);
                return 0;
            }
            GroupInvite invite = ClientMain.await(api.createInvite(group, approval, ttlSeconds));
            main().out.println(main().json ? new JsonObject().put("code", invite.getCode()).put("expiresMs", invite.getExpiresMs())
                    .put("approvalRequired", invite.getApprovalRequired()).encode() : invite.getCode());
            return 0;
        }
    }

    @Command(name = "join", description = "join CODE: join by invite link (or ask to, when it needs approval)")
    static final class Join extends GroupSub {
        @Parameters(index = "0")
        String code;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            JoinGroupResponse joined = ClientMain.await(api.join(code));
            main().out.println((joined.getPending() ? "asked to join " : "joined ") + State.id(joined.getGroupId()));
            return 0;
        }
    }

    @Command(name = "approve", description = "approve GROUP USER: let a pending joiner in")
    static final class Approve extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Parameters(index = "1")
        String user;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            print(ClientMain.await(api.resolveJoin(group, users(session, List.of(user)).get(0), true)));
            return 0;
        }
    }

    @Command(name = "reject", description = "reject GROUP USER: turn a pending joiner away")
    static final class Reject extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Parameters(index = "1")
        String user;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            ClientMain.await(api.resolveJoin(group, users(session, List.of(user)).get(0), false));
            main().out.println("rejected " + user);
            return 0;
        }
    }

    @Command(name = "send", description = "send GROUP TEXT: one sender-key message to every member device")
    static final class Send extends GroupSub {
        @Parameters(index = "0")
        UUID group;

        @Parameters(index = "1")
        String text;

        @Override
        int run(Session session, GroupsApi api) throws Exception {
            SendMessageResponse sent = ClientMain.await(session.groups.send(group, text.getBytes(StandardCharsets.UTF_8)));
            main().out.println(main().json ? new JsonObject().put("type", "sent").put("groupId", group.toString())
                    .put("messageId", State.id(sent.getMessageId())).put("serverTimestampMs", sent.getServerTimestampMs()).encode()
                    : "sent " + State.id(sent.getMessageId()));
            return 0;
        }
    }

    @Command(name = "receive", description = "receive: print the group messages waiting for this device, as JSON lines")
    static final class Receive extends GroupSub {
        @Override
        int run(Session session, GroupsApi api) {
            return 0;
        }
    }
}
