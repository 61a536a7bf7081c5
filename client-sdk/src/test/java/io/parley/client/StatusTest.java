package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.client.media.MessageContents;
import io.parley.client.status.Audience;
import io.parley.client.status.StatusApi;
import io.parley.proto.AddContactRequest;
import io.parley.proto.MessageContent;
import io.parley.proto.Request;
import io.parley.proto.StatusPosted;
import io.parley.proto.StatusSummary;
import io.parley.proto.StatusViewer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Status posts through a real node: audiences from the contacts list, per-device copies, viewers, replies. */
class StatusTest {
    @TempDir
    Path folders;
    private Vertx vertx;
    private SecureDevice alice;
    private SecureDevice bob;
    private SecureDevice carol;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = register("alice");
        bob = register("bob");
        carol = register("carol");
        addContact(alice, bob);
        addContact(alice, carol);
    }

    @AfterEach
    void tearDown() {
        alice.close();
        bob.close();
        carol.close();
        Await.result(vertx.close());
    }

    private SecureDevice register(String name) {
        return new SecureDevice(vertx, Users.register(vertx, Users.uniqueName(name)), folders.resolve(name));
    }

    private static void addContact(SecureDevice owner, SecureDevice contact) {
        Await.result(owner.client.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUserId(Ids.bytes(contact.user())))));
    }

    private static MessageContent text(String text) {
        return MessageContent.newBuilder().setText(text).build();
    }

    private static UUID id(StatusPosted posted) {
        return Ids.uuid(posted.getPostId(), "post_id");
    }

    @Test
    void contactsSeeATextStatusAndThePosterSeesWhoViewedIt() {
        StatusPosted posted = Await.result(new StatusApi(alice.secure).post(text("at the beach"), Audience.contacts()));
        StatusApi bobs = new StatusApi(bob.secure);

        List<StatusSummary> listed = Await.result(bobs.list());
        StatusApi.Viewed viewed = Await.result(bobs.view(id(posted)));

        assertThat(listed).extracting(StatusSummary::getPostId).contains(posted.getPostId());
        assertThat(viewed.content().getText()).isEqualTo("at the beach");
        assertThat(Ids.uuid(viewed.post().getPoster(), "poster")).isEqualTo(alice.user());
        assertThat(Await.result(bobs.list()).stream().filter(p -> p.getPostId().equals(posted.getPostId()))
                .findFirst().orElseThrow().getViewed()).isTrue();
        List<StatusViewer> viewers = Await.result(new StatusApi(alice.secure).viewers(id(posted))).getViewersList();
        assertThat(viewers).extracting(v -> Ids.uuid(v.getUserId(), "user_id")).containsExactly(bob.user());
        assertThat(Await.result(new StatusApi(alice.secure).list())).as("the poster lists its own posts")
                .extracting(StatusSummary::getPostId).contains(posted.getPostId());
        assertThat(posted.getExpiresAtMs() - posted.getPostedAtMs()).isEqualTo(24 * 3600 * 1000L);
    }

    @Test
    void aViewerExcludedFromTheAudienceGets404() {
        StatusPosted except = Await.result(new StatusApi(alice.secure).post(text("not for carol"),
                Audience.contactsExcept(Set.of(carol.user()))));
        StatusPosted only = Await.result(new StatusApi(alice.secure).post(text("only carol"),
                Audience.onlyShareWith(Set.of(carol.user()))));
        StatusApi carols = new StatusApi(carol.secure);
        StatusApi bobs = new StatusApi(bob.secure);

        assertThat(((ParleyException) Await.failure(carols.view(id(except)))).code()).isEqualTo(404);
        assertThat(((ParleyException) Await.failure(bobs.view(id(only)))).code()).isEqualTo(404);
        assertThat(Await.result(carols.list())).extracting(StatusSummary::getPostId).doesNotContain(except.getPostId());
        assertThat(Await.result(bobs.view(id(except))).content().getText()).isEqualTo("not for carol");
        assertThat(Await.result(carols.view(id(only))).content().getText()).isEqualTo("only carol");
    }

    @Test
    void aNonContactSeesNothing() {
        SecureDevice stranger = register("stranger");
        StatusPosted posted = Await.result(new StatusApi(alice.secure).post(text("friends only"), Audience.contacts()));
        assertThat(((ParleyException) Await.failure(new StatusApi(stranger.secure).view(id(posted)))).code())
                .isEqualTo(404);
        stranger.close();
    }

    @Test
    void aReplyArrivesAsAOneToOneMessageNamingThePost() {
        StatusPosted posted = Await.result(new StatusApi(alice.secure).post(text("guess where"), Audience.contacts()));
        StatusApi bobs = new StatusApi(bob.secure);
        StatusApi.Viewed viewed = Await.result(bobs.view(id(posted)));

        Await.result(bobs.reply(viewed.post(), "Lisbon?"));

        Await.until(() -> alice.messages.stream().anyMatch(m -> m.sender().equals(bob.user())), "alice to get the reply");
        MessageContent reply = MessageContents.decode(alice.messages.stream().filter(m -> m.sender().equals(bob.user()))
                .findFirst().orElseThrow().plaintext());
        assertThat(reply.getText()).isEqualTo("Lisbon?");
        assertThat(reply.getStatusPostId()).isEqualTo(posted.getPostId());
    }

    @Test
    void onlyThePosterSeesTheViewersOrDeletesAPost() {
        StatusPosted posted = Await.result(new StatusApi(alice.secure).post(text("mine"), Audience.contacts()));
        StatusApi bobs = new StatusApi(bob.secure);
        assertThat(((ParleyException) Await.failure(bobs.viewers(id(posted)))).code()).isEqualTo(403);
        assertThat(((ParleyException) Await.failure(bobs.delete(id(posted)))).code()).isEqualTo(403);

        Await.result(new StatusApi(alice.secure).delete(id(posted)));
        assertThat(((ParleyException) Await.failure(bobs.view(id(posted)))).code()).isEqualTo(404);
    }

    @Test
    void aPostWithoutCopiesOrWithDuplicateDevicesIs400() {
        Throwable empty = Await.failure(alice.client.send(Request.newBuilder().setPostStatus(
                io.parley.proto.PostStatusRequest.getDefaultInstance())));
        io.parley.proto.StatusCopy copy = io.parley.proto.StatusCopy.newBuilder().setUserId(Ids.bytes(bob.user()))
                .setDeviceId(1).setContent(com.google.protobuf.ByteString.copyFromUtf8("x")).setContentType(1).build();
        Throwable twice = Await.failure(alice.client.send(Request.newBuilder().setPostStatus(
                io.parley.proto.PostStatusRequest.newBuilder().addCopies(copy).addCopies(copy))));
        assertThat(((ParleyException) empty).code()).isEqualTo(400);
        assertThat(((ParleyException) twice).code()).isEqualTo(400);
    }
}
