package io.parley.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.proto.Error;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class ProtoCodecTest {
    private final ProtoCodec codec = new ProtoCodec(Contracts.types());

    @Test
    void roundTripsAMessageThroughTheWireFormatAtAnOffset() {
        Error error = Error.newBuilder().setCode(409).setMessage("stale devices")
                .addMismatches(io.parley.proto.DeviceMismatch.newBuilder().addMissingDevices(2).addExtraDevices(3)).build();
        Buffer wire = Buffer.buffer().appendString("prefix");

        codec.encodeToWire(wire, error);

        assertThat(codec.decodeFromWire(6, wire)).isEqualTo(error);
    }

    @Test
    void refusesAnUnknownTypeTag() {
        Buffer wire = Buffer.buffer().appendUnsignedShort(7).appendString("nothing").appendInt(0);

        assertThatThrownBy(() -> codec.decodeFromWire(0, wire))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nothing");
    }

    @Test
    void registersEveryMessageTypeOfEverySchemaFile() {
        assertThat(Contracts.types().parser("parley.DeviceRef")).isNotNull();
        assertThat(Contracts.types().size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void mapsBusFailuresToParleyCodes() {
        assertThat(Failure.codeOf(new ReplyException(ReplyFailure.TIMEOUT, -1, "t"))).isEqualTo(503);
        assertThat(Failure.codeOf(new ReplyException(ReplyFailure.NO_HANDLERS, -1, "n"))).isEqualTo(503);
        assertThat(Failure.codeOf(Failure.GONE.exception("used"))).isEqualTo(410);
        assertThat(Failure.codeOf(new IllegalStateException("boom"))).isEqualTo(503);
        assertThat(Failure.messageOf(Failure.GONE.exception("code used"))).isEqualTo("code used");
    }
}
