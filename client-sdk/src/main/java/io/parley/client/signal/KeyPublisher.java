package io.parley.client.signal;

import io.parley.client.ParleyClient;
import io.parley.proto.KeyCounts;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Keeps the server supplied with this device's keys: the first publication (registration,
 * linking, or a state folder that lost its keys, which re-registers the identity) and top-ups of
 * one-time keys when they run low. Key generation and files run on a worker.
 */
public final class KeyPublisher {
    private final ParleyClient client;
    private final FileSignalStore store;
    private final KeysApi keys;
    private final int batch;
    private Future<KeyCounts> replenishing;

    KeyPublisher(ParleyClient client, FileSignalStore store, KeysApi keys, int batch) {
        this.client = client;
        this.store = store;
        this.keys = keys;
        this.batch = batch;
    }

    /** For a connected client that only publishes (the command-line client's register and link): receives nothing. */
    public static Future<KeyCounts> publish(ParleyClient connected, Path stateFolder) {
        FileSignalStore store = FileSignalStore.open(stateFolder.resolve("signal"));
        return new KeyPublisher(connected, store, new KeysApi(connected), SecureMessenger.Options.defaults().preKeyBatch())
                .publish(true);
    }

    Future<KeyCounts> publish(boolean topUp) {
        return keys.counts().compose(counts -> {
            if (!counts.getRegistered() || !store.published()) {
                boolean replace = counts.getRegistered();
                return blocking(() -> PreKeys.first(store, batch, replace))
                        .compose(keys::upload)
                        .compose(uploaded -> blocking(() -> {
                            store.markPublished();
                            return uploaded;
                        }));
            }
            boolean low = counts.getPreKeys() < counts.getLowWatermark()
                    || counts.getKyberPreKeys() < counts.getLowWatermark();
            return low && topUp ? replenish() : Future.succeededFuture(counts);
        });
    }

    /** Uploads a batch of one-time keys; concurrent calls share one upload. */
    Future<KeyCounts> replenish() {
        return client.onContext(() -> {
            if (replenishing == null) {
                replenishing = blocking(() -> PreKeys.oneTime(store, batch).build())
                        .compose(keys::upload)
                        .onComplete(done -> replenishing = null);
            }
            return replenishing;
        });
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return client.onContext(() -> client.vertx().executeBlocking(work, true));
    }
}
