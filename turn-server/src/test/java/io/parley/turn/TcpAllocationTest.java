package io.parley.turn;

import io.parley.bus.RestCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.XorRelayedAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A TURN client over TCP: framed STUN, padded ChannelData both ways, and an allocation that ends with the connection. */
class TcpAllocationTest {
    private static final String SECRET = "parley-turn-tcp-secret-0123";
    private static TurnServer server;
    private static InetSocketAddress address;

    @BeforeAll
    static void start() {
        server = new TurnServer(TurnConfig.loopback(SECRET), Clock.systemUTC());
        address = new InetSocketAddress("127.0.0.1", server.start().toCompletableFuture().join());
    }

    @AfterAll
    static void stop() {
        server.stop().toCompletableFuture().join();
    }

    @Test
    void relaysPaddedChannelDataOverTcpAndFreesTheAllocationWhenTheConnectionCloses() throws Exception {
        RestCredentials.Credential credential = new RestCredentials(SECRET).issue("tcp-user", Instant.now().plusSeconds(600));
        byte[] key = TurnClient.longTermKey(credential.username(), "parley", credential.password());
        int before = server.stats().allocations();
        try (Socket tcp = new Socket(); Peer peer = new Peer()) {
            tcp.connect(address, TurnClient.TIMEOUT_MILLIS);
            tcp.setSoTimeout(TurnClient.TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(tcp.getInputStream());
            OutputStream out = tcp.getOutputStream();

            out.write(TurnClient.encode(MessageFactory.createAllocateRequest((byte) Stun.UDP, false), null, new byte[0]));
            String nonce = TurnClient.nonceOf(readMessage(in));
            Message allocated = exchange(in, out, MessageFactory.createAllocateRequest((byte) Stun.UDP, false),
                    credential.username(), nonce, key, new byte[0]);
            InetSocketAddress relay = ((XorRelayedAddressAttribute) allocated.getAttribute(Attribute.XOR_RELAYED_ADDRESS))
                    .getAddress(allocated.getTransactionID());
            Request bind = MessageFactory.createChannelBindRequest((char) 0x4000, TurnClient.transport(peer.address()),
                    new byte[12]);
            bind.removeAttribute(Attribute.XOR_PEER_ADDRESS);
            assertThat(TurnClient.errorCode(exchange(in, out, bind, credential.username(), nonce, key,
                    TurnClient.xorPeer(peer.address())))).isZero();
            assertThat(server.stats().allocations()).isEqualTo(before + 1);

            byte[] odd = "five!".getBytes(StandardCharsets.UTF_8); // 5 bytes: 3 bytes of padding on TCP
            byte[] frame = Arrays.copyOf(TurnClient.channelData(0x4000, odd), 4 + 8);
            out.write(frame);
            assertThat(new String(peer.receive().getData(), StandardCharsets.UTF_8)).isEqualTo("five!");

            peer.sendTo(relay, "back7!!".getBytes(StandardCharsets.UTF_8));
            byte[] header = new byte[4];
            in.readFully(header);
            assertThat(header).containsExactly(0x40, 0x00, 0x00, 7);
            byte[] padded = new byte[8];
            in.readFully(padded);
            assertThat(new String(padded, 0, 7, StandardCharsets.UTF_8)).isEqualTo("back7!!");
        }
        Await.until("the allocation freed with its connection", Duration.ofSeconds(5),
                () -> server.stats().allocations() == before);
    }

    private static Message exchange(DataInputStream in, OutputStream out, Request request, String username, String nonce,
            byte[] key, byte[] extra) throws Exception {
        request.setTransactionID(TurnClient.newTransactionId());
        request.putAttribute(org.ice4j.attribute.AttributeFactory.createUsernameAttribute(username));
        request.putAttribute(org.ice4j.attribute.AttributeFactory.createRealmAttribute("parley".getBytes(StandardCharsets.UTF_8)));
        request.putAttribute(org.ice4j.attribute.AttributeFactory.createNonceAttribute(nonce.getBytes(StandardCharsets.US_ASCII)));
        out.write(TurnClient.encode(request, key, extra));
        return readMessage(in);
    }

    private static Message readMessage(DataInputStream in) throws Exception {
        byte[] header = new byte[20];
        in.readFully(header);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        byte[] message = Arrays.copyOf(header, 20 + length);
        in.readFully(message, 20, length);
        return Message.decode(message, 0, message.length);
    }
}
