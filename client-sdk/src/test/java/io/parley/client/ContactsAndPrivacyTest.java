package io.parley.client;

import static io.parley.client.AccountsAndDevicesTest.code;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.proto.AddContactRequest;
import io.parley.proto.BlockRequest;
import io.parley.proto.DiscoverContactsRequest;
import io.parley.proto.GetPrivacyRequest;
import io.parley.proto.GetProfileRequest;
import io.parley.proto.ListBlockedRequest;
import io.parley.proto.ListContactsRequest;
import io.parley.proto.Privacy;
import io.parley.proto.Profile;
import io.parley.proto.RegisterRequest;
import io.parley.proto.RemoveContactRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.ResolveUserRequest;
import io.parley.proto.SetPrivacyRequest;
import io.parley.proto.SetProfileRequest;
import io.parley.proto.UnblockRequest;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contacts, discovery, profiles, blocking and privacy over a real connection. */
class ContactsAndPrivacyTest {
    private Vertx vertx;
    private ParleyClient alice;
    private String bobName;
    private ParleyClient bob;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = Users.connect(vertx, Users.register(vertx, Users.uniqueName("alice")));
        bobName = Users.uniqueName("bob");
        bob = Users.connect(vertx, Users.register(vertx, bobName));
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void addsListsAndRemovesContactsByUsername() {
        Await.result(bob.send(Request.newBuilder().setSetProfile(SetProfileRequest.newBuilder()
                .setProfile(Profile.newBuilder().setDisplayName("Bob B.").setAbout("here")))));

        var added = Await.result(alice.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUsername(bobName.toUpperCase())))).getAddContact();
        var listed = Await.result(alice.send(Request.newBuilder().setListContacts(ListContactsRequest.getDefaultInstance())))
                .getListContacts();
        Await.result(alice.send(Request.newBuilder().setRemoveContact(RemoveContactRequest.newBuilder()
                .setUserId(added.getUserId()))));
        var after = Await.result(alice.send(Request.newBuilder().setListContacts(ListContactsRequest.getDefaultInstance())))
                .getListContacts();

        assertThat(added.getUsername()).isEqualTo(bobName);
        assertThat(added.getDisplayName()).isEqualTo("Bob B.");
        assertThat(listed.getContactsList()).extracting(c -> c.getUsername()).containsExactly(bobName);
        assertThat(after.getContactsCount()).isZero();
    }

    @Test
    void refusesUnknownUsersAndYourself() {
        assertThat(code(alice.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUsername(Users.uniqueName("nobody")))))).isEqualTo(404);
        assertThat(code(alice.send(Request.newBuilder().setAddContact(AddContactRequest.newBuilder()
                .setUserId(alice.credentials().getUserId()))))).isEqualTo(400);
        assertThat(code(alice.send(Request.newBuilder().setAddContact(AddContactRequest.getDefaultInstance()))))
                .isEqualTo(400);
        assertThat(code(alice.send(Request.newBuilder().setResolveUser(ResolveUserRequest.newBuilder()
                .setUsername(Users.uniqueName("ghost")))))).isEqualTo(404);
    }

    @Test
    void discoversWhichPhoneNumbersAreOnParleyFromHashesOnly() throws Exception {
        String phone = "+4930" + (1_000_000 + (int) (Math.random() * 8_999_999));
        AccountsApi api = new AccountsApi(vertx, TestNode.address());
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setPhone(phone).build()));
        var carol = Await.result(api.register(RegisterRequest.newBuilder().setPhone(phone)
                .setCode(TestNode.CODES.codeFor(phone)).build()));

        var found = Await.result(alice.send(Request.newBuilder().setDiscoverContacts(DiscoverContactsRequest.newBuilder()
                .addPhoneHashes(sha256(phone)).addPhoneHashes(sha256("+19999999999"))))).getDiscoverContacts();

        assertThat(found.getMatchesList()).hasSize(1);
        assertThat(found.getMatches(0).getUserId()).isEqualTo(carol.getUserId());
        assertThat(found.getMatches(0).getPhoneHash()).isEqualTo(sha256(phone));
        assertThat(code(alice.send(Request.newBuilder().setDiscoverContacts(DiscoverContactsRequest.newBuilder()
                .addPhoneHashes(ByteString.copyFromUtf8(phone)))))).as("a raw number instead of a hash").isEqualTo(400);
    }

    @Test
    void blocksAndUnblocks() {
        Await.result(alice.send(Request.newBuilder().setBlock(BlockRequest.newBuilder().setUserId(bob.credentials().getUserId()))));
        var blocked = Await.result(alice.send(Request.newBuilder().setListBlocked(ListBlockedRequest.getDefaultInstance())))
                .getListBlocked();
        Await.result(alice.send(Request.newBuilder().setUnblock(UnblockRequest.newBuilder().setUserId(bob.credentials().getUserId()))));
        var after = Await.result(alice.send(Request.newBuilder().setListBlocked(ListBlockedRequest.getDefaultInstance())))
                .getListBlocked();

        assertThat(blocked.getUserIdsList()).containsExactly(bob.credentials().getUserId());
        assertThat(after.getUserIdsCount()).isZero();
        assertThat(code(alice.send(Request.newBuilder().setBlock(BlockRequest.newBuilder()
                .setUserId(alice.credentials().getUserId()))))).isEqualTo(400);
    }

    @Test
    void keepsPrivacySettingsAndProfiles() {
        Privacy wanted = Privacy.newBuilder().setLastSeen(Privacy.Audience.CONTACTS).setReadReceiptsOff(true).build();
        Await.result(alice.send(Request.newBuilder().setSetPrivacy(SetPrivacyRequest.newBuilder().setPrivacy(wanted))));
        Await.result(alice.send(Request.newBuilder().setSetProfile(SetProfileRequest.newBuilder()
                .setProfile(Profile.newBuilder().setDisplayName("Alice").setAvatarRef("media:abc")))));

        assertThat(Await.result(alice.send(Request.newBuilder().setGetPrivacy(GetPrivacyRequest.getDefaultInstance())))
                .getGetPrivacy()).isEqualTo(wanted);
        assertThat(Await.result(bob.send(Request.newBuilder().setGetProfile(GetProfileRequest.newBuilder()
                .setUserId(alice.credentials().getUserId())))).getGetProfile().getProfile().getAvatarRef()).isEqualTo("media:abc");
        assertThat(code(alice.send(Request.newBuilder().setSetProfile(SetProfileRequest.newBuilder()
                .setProfile(Profile.newBuilder().setDisplayName("x".repeat(65))))))).isEqualTo(400);
    }

    private static ByteString sha256(String phone) throws Exception {
        return ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(phone.getBytes(StandardCharsets.UTF_8)));
    }
}
