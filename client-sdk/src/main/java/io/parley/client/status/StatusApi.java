package io.parley.client.status;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyException;
import io.parley.client.media.MessageContents;
import io.parley.client.signal.SecureMessenger;
import io.parley.proto.Contact;
import io.parley.proto.DeleteStatusRequest;
import io.parley.proto.DeviceIdentity;
import io.parley.proto.GetIdentityKeysRequest;
import io.parley.proto.ListContactsRequest;
import io.parley.proto.ListStatusRequest;
import io.parley.proto.MessageContent;
import io.parley.proto.PostStatusRequest;
import io.parley.proto.Request;
import io.parley.proto.SendMessageResponse;
import io.parley.proto.StatusCopy;
import io.parley.proto.StatusPosted;
import io.parley.proto.StatusSummary;
import io.parley.proto.StatusViewers;
import io.parley.proto.StatusViewersRequest;
import io.parley.proto.ViewStatusRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Status posts from the SDK: {@link #post} picks the audience from the contacts list, encrypts the
 * content once per audience device with Signal (and for this account's other devices), and posts
 * the copies; {@link #view} fetches this device's copy and decrypts it; {@link #reply} answers a post
 * with a 1:1 message that names it. Media in a post is an attachment uploaded first (its blob id in
 * {@code blobIds}, so that it lives and dies with the post).
 */
public final class StatusApi {
    /** A decrypted post. */
    public record Viewed(StatusSummary post, MessageContent content) {
    }

    private final SecureMessenger secure;
    private final ParleyClient client;

    public StatusApi(SecureMessenger secure) {
        this.secure = secure;
        this.client = secure.client();
    }

    public Future<StatusPosted> post(MessageContent content, Audience audience) {
        byte[] plaintext = MessageContents.encode(content);
        List<String> blobs = new ArrayList<>();
        content.getAttachmentsList().forEach(a -> blobs.add(Ids.uuid(a.getBlobId(), "blob_id").toString()));
        return audienceUsers(audience).compose(users -> {
            List<Future<List<StatusCopy>>> copies = new ArrayList<>();
            for (UUID user : users) {
                copies.add(copiesFor(user, plaintext));
            }
            return Future.all(copies).map(all -> {
                PostStatusRequest.Builder request = PostStatusRequest.newBuilder();
                for (int i = 0; i < all.size(); i++) {
                    request.addAllCopies(all.<List<StatusCopy>>resultAt(i));
                }
                content.getAttachmentsList().forEach(a -> request.addBlobIds(a.getBlobId()));
                return request;
            });
        }).compose(request -> request.getCopiesCount() == 0
                ? Future.failedFuture(new ParleyException(400, "nobody to show this status to: the audience is empty"))
                : client.send(Request.newBuilder().setPostStatus(request)).map(r -> r.getPostStatus()));
    }

    public Future<List<StatusSummary>> list() {
        return client.send(Request.newBuilder().setListStatus(ListStatusRequest.getDefaultInstance()))
                .map(r -> r.getListStatus().getPostsList());
    }

    /** This device's copy of a post, decrypted (viewing it records the view). 404 when the device is not in its audience. */
    public Future<Viewed> view(UUID postId) {
        return client.send(Request.newBuilder().setViewStatus(ViewStatusRequest.newBuilder().setPostId(Ids.bytes(postId))))
                .map(r -> r.getViewStatus())
                .compose(view -> secure.openFrom(Ids.uuid(view.getPost().getPoster(), "poster"),
                                view.getPost().getPosterDevice(), view.getContentType(), view.getContent().toByteArray())
                        .map(plaintext -> new Viewed(view.getPost(), MessageContents.decode(plaintext))));
    }

    public Future<StatusViewers> viewers(UUID postId) {
        return client.send(Request.newBuilder().setStatusViewers(StatusViewersRequest.newBuilder()
                .setPostId(Ids.bytes(postId)))).map(r -> r.getStatusViewers());
    }

    public Future<Void> delete(UUID postId) {
        return client.send(Request.newBuilder().setDeleteStatus(DeleteStatusRequest.newBuilder()
                .setPostId(Ids.bytes(postId)))).mapEmpty();
    }

    /** Replies to a post with a 1:1 message to its poster; the message names the post. */
    public Future<SendMessageResponse> reply(StatusSummary post, String text) {
        return secure.send(Ids.uuid(post.getPoster(), "poster"), MessageContents.encode(MessageContent.newBuilder()
                .setText(text).setStatusPostId(post.getPostId()).build()));
    }

    /** The contacts in the audience, then this user (for its other devices). */
    private Future<Set<UUID>> audienceUsers(Audience audience) {
        return client.send(Request.newBuilder().setListContacts(ListContactsRequest.getDefaultInstance())).map(r -> {
            Set<UUID> users = new LinkedHashSet<>();
            for (Contact contact : r.getListContacts().getContactsList()) {
                UUID id = Ids.uuid(contact.getUserId(), "user_id");
                if (audience.includes(id)) {
                    users.add(id);
                }
            }
            users.add(secure.self());
            return users;
        });
    }

    /** One copy per device of the user that has published keys (this device excluded); none when refused. */
    private Future<List<StatusCopy>> copiesFor(UUID user, byte[] plaintext) {
        return client.send(Request.newBuilder().setGetIdentityKeys(GetIdentityKeysRequest.newBuilder()
                        .setUserId(Ids.bytes(user))))
                .compose(keys -> {
                    List<Future<StatusCopy>> copies = new ArrayList<>();
                    for (DeviceIdentity device : keys.getGetIdentityKeys().getDevicesList()) {
                        if (user.equals(secure.self()) && device.getDeviceId() == client.credentials().getDeviceId()) {
                            continue;
                        }
                        copies.add(secure.sealFor(user, device.getDeviceId(), plaintext).map(sealed -> StatusCopy
                                .newBuilder().setUserId(sealed.getUserId()).setDeviceId(sealed.getDeviceId())
                                .setContent(sealed.getContent()).setContentType(sealed.getContentType()).build()));
                    }
                    return Future.all(copies).map(all -> all.<StatusCopy>list());
                })
                // A contact without keys, who blocked us, or who is gone simply does not get the post.
                .recover(e -> e instanceof ParleyException p && p.code() < 500 ? Future.succeededFuture(List.of())
                        : Future.failedFuture(e));
    }
}
