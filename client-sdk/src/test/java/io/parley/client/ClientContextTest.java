package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.bus.Ids;
import io.parley.proto.DeviceCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which thread a client's state lives on, without a server: nothing here connects. */
class ClientContextTest {
    private static DeviceCredentials someone() {
        return DeviceCredentials.newBuilder().setUserId(Ids.bytes(UUID.randomUUID())).setDeviceId(1).build();
    }

    private static String threadOf(ParleyClient client) {
        return Await.result(client.onContext(() -> Future.succeededFuture(Thread.currentThread().getName())));
    }

    @Test
    void clientsCreatedOutsideVertxSpreadOverTheEventLoops() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ServerAddress nowhere = new ServerAddress("127.0.0.1", 1, false);
            Set<String> threads = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                threads.add(threadOf(ParleyClient.create(vertx, nowhere, someone())));
            }
            assertThat(threads).as("four clients made by one thread, two event loops").hasSize(2);
        } finally {
            Await.result(vertx.close());
        }
    }

    @Test
    void aClientCreatedOnAVertxThreadStaysOnItsContext() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            ServerAddress nowhere = new ServerAddress("127.0.0.1", 1, false);
            io.vertx.core.Context context = vertx.getOrCreateContext();
            String[] made = new String[2];
            Await.result(Future.<Void>future(done -> context.runOnContext(v -> {
                made[0] = Thread.currentThread().getName();
                ParleyClient client = ParleyClient.create(vertx, nowhere, someone());
                client.onContext(() -> Future.succeededFuture(Thread.currentThread().getName())).onSuccess(name -> {
                    made[1] = name;
                    done.complete();
                });
            })));
            assertThat(made[1]).isEqualTo(made[0]);
        } finally {
            Await.result(vertx.close());
        }
    }
}
