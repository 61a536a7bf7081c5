package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.proto.ChangeMembersRequest;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Group;
import io.parley.proto.GroupInvite;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RequestCodeRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A full group: 1024 users with one device each, SDK clients in this JVM on real sockets. The
 * 1025th member is refused (409), by an admin's add and by an invite link alike.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeGroupTest {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LargeGroupTest.class);
    private static final int MEMBERS = 1024;
    private static final int REGISTRATION_WIDTH = 16;

    private Vertx vertx;
    private final List<DeviceCredentials> credentials = Collections.synchronizedList(new ArrayList<>());
    private final List<Member> members = new ArrayList<>();
    private Path folders;

    /** One member device: client, messenger, group messenger, and the group messages it could read. */
    private record Member(ParleyClient client, Messenger messenger, GroupMessenger groups, SenderKeyFiles keys,
            Set<String> texts) {
        UUID user() {
            return Ids.uuid(client.credentials().getUserId(), "user_id");
        }
    }

    @BeforeAll
    void registerAndConnect() throws Exception {
        vertx = Vertx.vertx();
        folders = Files.createTempDirectory("parley-large-group");
        long began = System.nanoTime();
        List<String> names = IntStream.range(0, MEMBERS + 1).mapToObj(i -> Users.uniqueName("m")).toList();
        Await.result(Lanes.forEach(names, REGISTRATION_WIDTH, name -> register(name).map(c -> {
            credentials.add(c);
            return (Void) null;
        })));
        LOG.info("registered {} users in {} ms", credentials.size(), (System.nanoTime() - began) / 1_000_000);
        began = System.nanoTime();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(member(credentials.get(i), folders.resolve("m" + i)));
        }
        Await.result(Lanes.forEach(members, REGISTRATION_WIDTH * 4, m -> m.client().connect().<Void>mapEmpty()));
        LOG.info("connected {} devices in {} ms", members.size(), (System.nanoTime() - began) / 1_000_000);
    }

    @AfterAll
    void closeAll() {
        Await.result(Future.join(members.stream().map(m -> m.client().close()).toList()));
        Await.result(vertx.close());
    }

    private Future<DeviceCredentials> register(String name) {
        AccountsApi api = new AccountsApi(vertx, TestNode.address());
        return api.requestCode(RequestCodeRequest.newBuilder().setUsername(name).build())
                .compose(r -> api.register(RegisterRequest.newBuilder().setUsername(name)
                        .setCode(TestNode.CODES.codeFor(name)).setDeviceName("phone").build()))
                .eventually(api::close);
    }

    private Member member(DeviceCredentials device, Path folder) {
        ParleyClient client = ParleyClient.create(vertx, TestNode.address(), device);
        Messenger messenger = new Messenger(client);
        SenderKeyFiles keys = SenderKeyFiles.open(vertx, folder);
        Set<String> texts = ConcurrentHashMap.newKeySet();
        GroupMessenger groups = new GroupMessenger(client, messenger, keys).onMessage(m -> texts.add(m.text()));
        return new Member(client, messenger, groups, keys, texts);
    }

    @Test
    void aGroupOf1024ReceivesAMessageOnEveryDeviceAndRefusesThe1025th() {
        Member creator = members.get(0);
        List<UUID> others = members.stream().skip(1).map(Member::user).toList();
        long created = System.nanoTime();
        Group group = Await.result(creator.groups().api().create("everyone", others));
        LOG.info("created the group in {} ms", (System.nanoTime() - created) / 1_000_000);
        UUID groupId = Ids.uuid(group.getGroupId(), "group_id");
        assertThat(group.getMembersCount()).isEqualTo(MEMBERS);

        long began = System.nanoTime();
        Await.result(creator.groups().send(groupId, "to all 1024".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> members.stream().skip(1).allMatch(m -> m.texts().contains("to all 1024")),
                "all 1023 other members to decrypt the message");
        long firstMs = (System.nanoTime() - began) / 1_000_000;
        LOG.info("first send (sender key to 1023 users, then the message) reached every device in {} ms", firstMs);

        began = System.nanoTime();
        Await.result(members.get(512).groups().send(groupId, "from the middle".getBytes(StandardCharsets.UTF_8)));
        Await.until(() -> members.stream().filter(m -> m != members.get(512)).allMatch(m -> m.texts().contains("from the middle")),
                "every other member to decrypt the second sender's message");
        long secondMs = (System.nanoTime() - began) / 1_000_000;
        LOG.info("second sender's first send reached every device in {} ms", secondMs);
        assertThat(firstMs + secondMs).as("both fan-outs, keys included, in ms").isLessThan(30_000);

        UUID extra = Ids.uuid(credentials.get(MEMBERS).getUserId(), "user_id");
        ParleyException added = (ParleyException) Await.failure(creator.groups().api().changeMembers(groupId,
                ChangeMembersRequest.Action.ADD, List.of(extra)));
        GroupInvite invite = Await.result(creator.groups().api().createInvite(groupId, false, 0));
        ParleyClient outsider = Users.connect(vertx, credentials.get(MEMBERS));
        ParleyException joined = (ParleyException) Await.failure(new GroupsApi(outsider).join(invite.getCode()));
        Await.result(outsider.close());

        assertThat(added.code()).isEqualTo(409);
        assertThat(joined.code()).isEqualTo(409);
        assertThat(Await.result(creator.groups().api().get(groupId)).getMembersCount()).isEqualTo(MEMBERS);
    }

    @Test
    void aBroadcastListHoldsAt256Recipients() {
        Member owner = members.get(0);
        List<UUID> recipients = members.stream().skip(1).limit(256).map(Member::user).toList();
        var list = Await.result(owner.groups().api().createBroadcastList("all of them", recipients));
        UUID listId = Ids.uuid(list.getListId(), "list_id");

        ParleyException refused = (ParleyException) Await.failure(owner.groups().api().addBroadcastRecipients(listId,
                List.of(members.get(300).user())));

        assertThat(list.getRecipientsCount()).isEqualTo(256);
        assertThat(refused.code()).isEqualTo(409);
    }
}
