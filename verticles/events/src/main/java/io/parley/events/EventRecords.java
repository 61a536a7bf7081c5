package io.parley.events;

import com.google.protobuf.ByteString;
import io.parley.bus.Ids;
import io.parley.proto.AccountEvent;
import io.parley.proto.DeviceEvent;
import io.parley.proto.MessageStored;
import io.parley.proto.ReceiptSent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON records of the event stream, built from the bus events: ids as UUID strings, kinds as
 * lower-case words, times in epoch milliseconds. Only metadata exists in the bus events, so no
 * content or ciphertext can reach Kafka. docs/events.md lists every field.
 */
final class EventRecords {
    private EventRecords() {
    }

    static JsonObject message(MessageStored e) {
        return new JsonObject().put("type", "message." + e.getKind().name().toLowerCase())
                .put("messageId", uuid(e.getMessageId())).put("senderUser", uuid(e.getSenderUser()))
                .put("senderDevice", e.getSenderDevice()).put("recipient", uuid(e.getRecipient()))
                .put("group", e.getGroup()).put("devices", e.getDevices()).put("atMs", e.getAtMs());
    }

    static JsonObject receipt(ReceiptSent e) {
        JsonArray ids = new JsonArray();
        e.getMessageIdsList().forEach(id -> ids.add(uuid(id)));
        return new JsonObject().put("type", "receipt." + e.getType().name().toLowerCase())
                .put("fromUser", uuid(e.getFromUser())).put("fromDevice", e.getFromDevice())
                .put("toUser", uuid(e.getToUser())).put("messageIds", ids).put("atMs", e.getAtMs());
    }

    static JsonObject account(AccountEvent e) {
        return new JsonObject().put("type", "account." + e.getKind().name().toLowerCase())
                .put("userId", uuid(e.getUserId())).put("atMs", e.getAtMs());
    }

    static JsonObject device(DeviceEvent e) {
        JsonObject json = new JsonObject().put("type", "device." + e.getKind().name().toLowerCase())
                .put("userId", uuid(e.getDevice().getUserId())).put("deviceId", e.getDevice().getDeviceId())
                .put("atMs", e.getAtMs());
        if (!e.getNodeId().isEmpty()) {
            json.put("nodeId", e.getNodeId());
        }
        return json;
    }

    static String uuid(ByteString id) {
        return Ids.uuid(id, "id").toString();
    }
}
