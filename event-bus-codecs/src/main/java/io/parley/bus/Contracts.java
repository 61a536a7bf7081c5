package io.parley.bus;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import io.parley.proto.AccountsProto;
import io.parley.proto.AdminProto;
import io.parley.proto.BackupProto;
import io.parley.proto.BusProto;
import io.parley.proto.CallsProto;
import io.parley.proto.CommonProto;
import io.parley.proto.EventsProto;
import io.parley.proto.FramesProto;
import io.parley.proto.GroupsProto;
import io.parley.proto.KeysProto;
import io.parley.proto.MediaProto;
import io.parley.proto.StatusProto;
import io.parley.proto.MessagingProto;
import io.vertx.core.Vertx;
import java.util.List;

/** The schema files of Parley and the registration of the bus codec on a Vert.x instance. */
public final class Contracts {
    /** Every schema file; a new `.proto` file is added here once. */
    public static final List<FileDescriptor> FILES = List.of(CommonProto.getDescriptor(),
            AccountsProto.getDescriptor(), MessagingProto.getDescriptor(), FramesProto.getDescriptor(),
            BusProto.getDescriptor(),
            KeysProto.getDescriptor(),
            GroupsProto.getDescriptor(),
            CallsProto.getDescriptor(),
            MediaProto.getDescriptor(),
            StatusProto.getDescriptor(),
            EventsProto.getDescriptor(),
            AdminProto.getDescriptor(),
            BackupProto.getDescriptor());

    private static final ProtoTypes TYPES = new ProtoTypes(FILES);

    private Contracts() {
    }

    public static ProtoTypes types() {
        return TYPES;
    }

    /** Registers the protobuf codec and selects it for every protobuf message sent on this instance's bus. */
    public static void registerCodecs(Vertx vertx) {
        vertx.eventBus()
                .registerCodec(new ProtoCodec(TYPES))
                .codecSelector(body -> body instanceof Message ? ProtoCodec.NAME : null);
    }
}
