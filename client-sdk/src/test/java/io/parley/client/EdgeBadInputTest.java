package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.parley.proto.Authenticate;
import io.parley.proto.DeviceCredentials;
import io.parley.proto.Request;
import io.parley.proto.Response;
import io.parley.proto.WhoamiRequest;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hostile and broken input at the edge: each gets a clear error and hurts no other connection. */
class EdgeBadInputTest {
    private static final Request WHOAMI = Request.newBuilder().setId(7).setWhoami(WhoamiRequest.getDefaultInstance()).build();

    private Vertx vertx;
    private ParleyClient bystander;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        bystander = Users.connect(vertx, Users.register(vertx, Users.uniqueName("bystander")));
    }

    @AfterEach
    void bystanderIsUnharmed() {
        assertThat(Await.result(bystander.send(Request.newBuilder().setWhoami(WhoamiRequest.getDefaultInstance())))
                .getWhoami().getDeviceId()).isEqualTo(1);
        Await.result(vertx.close());
    }

    @Test
    void refusesAWrongCredentialWith401AndClosesWith4401() {
        DeviceCredentials real = Users.register(vertx, Users.uniqueName("victim"));
        RawSocket socket = RawSocket.open(vertx);

        Response response = socket.authenticate(real.toBuilder().setPassword("not-the-password").build());

        assertThat(response.getError().getCode()).isEqualTo(401);
        assertThat(socket.awaitClose()).isEqualTo((short) 4401);
    }

    @Test
    void refusesAnUnknownDeviceAndAMalformedUserIdWith401And400() {
        DeviceCredentials real = Users.register(vertx, Users.uniqueName("nodevice"));
        assertThat(RawSocket.open(vertx).authenticate(real.toBuilder().setDeviceId(9).build()).getError().getCode())
                .isEqualTo(401);
        Response malformed = RawSocket.open(vertx).request(Request.newBuilder().setId(3).setAuthenticate(
                Authenticate.newBuilder().setUserId(ByteString.copyFromUtf8("short")).setDeviceId(1)).build());
        assertThat(malformed.getError().getCode()).isEqualTo(400);
        assertThat(malformed.getError().getMessage()).contains("user_id must be a 16-byte id");
    }

    @Test
    void answersRequestsBeforeAuthenticationWith401AndKeepsTheConnection() {
        RawSocket socket = RawSocket.open(vertx);

        assertThat(socket.request(WHOAMI).getError().getCode()).isEqualTo(401);
        assertThat(socket.authenticate(Users.register(vertx, Users.uniqueName("late"))).hasAuthenticate()).isTrue();
        assertThat(socket.request(WHOAMI).getWhoami().getDeviceId()).isEqualTo(1);
    }

    @Test
    void answersAMalformedFrameWith400AndTheConnectionSurvives() {
        RawSocket socket = authenticated("malformed");

        socket.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        Response error = socket.nextResponse();

        assertThat(error.getError().getCode()).isEqualTo(400);
        assertThat(error.getError().getMessage()).startsWith("malformed frame");
        assertThat(socket.request(WHOAMI).getWhoami().getDeviceId()).isEqualTo(1);
    }

    @Test
    void answersAnOversizedFrameWith413AndTheConnectionSurvives() {
        RawSocket socket = authenticated("oversized");

        socket.sendBytes(new byte[300 * 1024]);
        Response error = socket.nextResponse();

        assertThat(error.getError().getCode()).isEqualTo(413);
        assertThat(socket.request(WHOAMI).getWhoami().getDeviceId()).isEqualTo(1);
    }

    @Test
    void closesTheSocketOnAFrameBeyondTheHardLimit() {
        RawSocket socket = authenticated("huge");

        socket.sendBytes(new byte[2 * 1024 * 1024]);

        // Netty refuses the frame and drops the TCP connection: 1009 if the close frame gets out first, else 1006.
        assertThat(socket.awaitClose()).isIn((short) 1009, (short) 1006);
    }

    @Test
    void answersAnUnknownRequestTypeWith400NamingIt() {
        RawSocket socket = authenticated("unknown");
        // field 999 of Request: a request kind this server does not know
        byte[] unknown = Request.newBuilder().setId(42).setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder()
                .addField(999, com.google.protobuf.UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("?")).build()).build()).build().toByteArray();

        socket.sendBytes(io.parley.proto.ClientFrame.newBuilder().setRequest(
                parse(unknown)).build().toByteArray());
        Response error = socket.nextResponse();

        assertThat(error.getId()).isEqualTo(42);
        assertThat(error.getError().getCode()).isEqualTo(400);
        assertThat(error.getError().getMessage()).isEqualTo("unknown request type");
        assertThat(socket.request(WHOAMI).getWhoami().getDeviceId()).isEqualTo(1);
    }

    @Test
    void refusesASecondAuthenticationOnTheSameConnection() {
        DeviceCredentials credentials = Users.register(vertx, Users.uniqueName("again"));
        RawSocket socket = RawSocket.open(vertx);
        socket.authenticate(credentials);

        assertThat(socket.authenticate(credentials).getError().getCode()).isEqualTo(400);
    }

    private RawSocket authenticated(String prefix) {
        RawSocket socket = RawSocket.open(vertx);
        assertThat(socket.authenticate(Users.register(vertx, Users.uniqueName(prefix))).hasAuthenticate()).isTrue();
        return socket;
    }

    private static Request parse(byte[] bytes) {
        try {
            return Request.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
