package io.parley.client.signal;

import io.parley.bus.Ids;
import io.parley.client.ParleyClient;
import io.parley.proto.GetBundlesRequest;
import io.parley.proto.GetIdentityKeysRequest;
import io.parley.proto.IdentityKeys;
import io.parley.proto.KeyCounts;
import io.parley.proto.KeyCountsRequest;
import io.parley.proto.PreKeyBundles;
import io.parley.proto.Request;
import io.parley.proto.UploadKeysRequest;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;

/** The keys requests of the protocol over a connected client. */
public final class KeysApi {
    private final ParleyClient client;

    public KeysApi(ParleyClient client) {
        this.client = client;
    }

    public Future<KeyCounts> upload(UploadKeysRequest upload) {
        return client.send(Request.newBuilder().setUploadKeys(upload)).map(r -> r.getUploadKeys());
    }

    public Future<KeyCounts> counts() {
        return client.send(Request.newBuilder().setKeyCounts(KeyCountsRequest.getDefaultInstance())).map(r -> r.getKeyCounts());
    }

    /** Bundles of these devices of the user (all its devices when the list is empty); takes one-time keys. */
    public Future<PreKeyBundles> bundles(UUID user, List<Integer> devices) {
        return client.send(Request.newBuilder().setGetBundles(GetBundlesRequest.newBuilder().setUserId(Ids.bytes(user))
                .addAllDeviceIds(devices))).map(r -> r.getGetBundles());
    }

    public Future<IdentityKeys> identities(UUID user) {
        return client.send(Request.newBuilder().setGetIdentityKeys(GetIdentityKeysRequest.newBuilder()
                .setUserId(Ids.bytes(user)))).map(r -> r.getGetIdentityKeys());
    }
}
