package io.parley.client;

import io.parley.proto.DeviceCredentials;
import io.parley.proto.LinkDeviceRequest;
import io.parley.proto.RegisterRequest;
import io.parley.proto.Request;
import io.parley.proto.RequestCodeRequest;
import io.parley.proto.CreateLinkCodeRequest;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;

/** Registers users and links devices through the real HTTP API of the test node. */
final class Users {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /**
     * Longer than the edge's own 10 s deadline for accounts' answer, so that a slow answer on a
     * loaded machine shows as the edge's 503 with its reason, not as a bare client time-out.
     */
    static final java.time.Duration HTTP_DEADLINE = java.time.Duration.ofSeconds(15);

    private Users() {
    }

    static String uniqueName(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    static DeviceCredentials register(Vertx vertx, String username) {
        return register(vertx, TestNode.address(), username);
    }

    /** Registers on a node of the test's own started with {@link TestNode#start} (its codes go to the same box). */
    static DeviceCredentials register(Vertx vertx, ServerAddress server, String username) {
        AccountsApi api = new AccountsApi(vertx, server, Users.HTTP_DEADLINE);
        Await.result(api.requestCode(RequestCodeRequest.newBuilder().setUsername(username).build()));
        DeviceCredentials credentials = Await.result(api.register(RegisterRequest.newBuilder().setUsername(username)
                .setCode(TestNode.CODES.codeFor(username)).setDeviceName("phone").build()));
        api.close();
        return credentials;
    }

    static ParleyClient connect(Vertx vertx, DeviceCredentials credentials) {
        return Await.result(ParleyClient.connect(vertx, TestNode.address(), credentials));
    }

    /** Links a new device to the account of this connected primary. */
    static DeviceCredentials link(Vertx vertx, ParleyClient primary, String deviceName) {
        String code = Await.result(primary.send(Request.newBuilder()
                .setCreateLinkCode(CreateLinkCodeRequest.getDefaultInstance()))).getCreateLinkCode().getCode();
        AccountsApi api = new AccountsApi(vertx, TestNode.address(), Users.HTTP_DEADLINE);
        DeviceCredentials linked = Await.result(api.link(LinkDeviceRequest.newBuilder().setCode(code)
                .setDeviceName(deviceName).build()));
        api.close();
        return linked;
    }
}
