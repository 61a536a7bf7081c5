package io.parley.bus;

import io.parley.proto.Request;
import java.util.UUID;

/** Every event-bus address of Parley. Nothing else declares an address string. */
public final class Addresses {
    private static final String PREFIX = "parley.";

    /** accounts: check a device credential (edge → accounts). Body: Authenticate; reply: Ok. */
    public static final String ACCOUNTS_AUTHENTICATE = PREFIX + "accounts.authenticate";
    /** accounts: send a one-time code. Body: RequestCodeRequest; reply: RequestCodeResponse. */
    public static final String ACCOUNTS_REQUEST_CODE = PREFIX + "accounts.request-code";
    /** accounts: create an account and its primary device. Body: RegisterRequest; reply: DeviceCredentials. */
    public static final String ACCOUNTS_REGISTER = PREFIX + "accounts.register";
    /** accounts: redeem a provisioning code. Body: LinkDeviceRequest; reply: DeviceCredentials. */
    public static final String ACCOUNTS_LINK = PREFIX + "accounts.link";
    /** accounts: current device ids of users. Body: DeviceSetRequest; reply: DeviceSets. */
    public static final String ACCOUNTS_DEVICE_SETS = PREFIX + "accounts.device-sets";
    /** accounts: block, contact and privacy relation of two users. Body: RelationRequest; reply: Relation. */
    public static final String ACCOUNTS_RELATION = PREFIX + "accounts.relation";
    /** accounts: what a send from one user to another must check. Body: SendCheckRequest; reply: SendCheck. */
    public static final String ACCOUNTS_SEND_CHECK = PREFIX + "accounts.send-check";
    /** messaging: store envelopes in devices' inboxes and push them. Body: InboxDeliveries; reply: InboxDelivered. */
    public static final String MESSAGING_DELIVER = PREFIX + "messaging.deliver";
    /** messaging: one body stored once for many devices. Body: SharedDelivery; reply: SharedDelivered. */
    public static final String MESSAGING_DELIVER_SHARED = PREFIX + "messaging.deliver-shared";
    /** messaging: a page of a device's inbox, for replay. Body: InboxPageRequest; reply: InboxPage. */
    public static final String MESSAGING_INBOX_PAGE = PREFIX + "messaging.inbox-page";
    /** groups: member devices acked group messages, so they are delivered (messaging → groups). Body: GroupDeliveries. */
    public static final String GROUPS_DELIVERED = PREFIX + "groups.delivered";
    /** media: keep a blob while a holder (a status post) needs it. Body: MediaPinRequest; reply: Ok. */
    public static final String MEDIA_PIN = PREFIX + "media.pin";
    /** media: a holder's blobs are no longer needed; unpinned ones are deleted. Body: MediaReleaseRequest; reply: MediaReleased. */
    public static final String MEDIA_RELEASE = PREFIX + "media.release";
    /** Published: a block or contact between two users changed. Body: RelationChanged. */
    public static final String RELATION_EVENTS = PREFIX + "events.relation";
    /** Published: a device connected, disconnected, was linked or removed. Body: DeviceEvent. */
    public static final String DEVICE_EVENTS = PREFIX + "events.device";
    /** Published locally on each node: another node left the cluster. Body: NodeLeft. */
    public static final String NODE_LEFT = PREFIX + "events.node-left";

    /** Sent to events: a message was committed. Body: MessageStored. */
    public static final String EVENTS_MESSAGE = PREFIX + "events.message";
    /** Sent to events: a receipt was accepted. Body: ReceiptSent. */
    public static final String EVENTS_RECEIPT = PREFIX + "events.receipt";
    /** Sent to events: an account was registered, disabled or enabled. Body: AccountEvent. */
    public static final String EVENTS_ACCOUNT = PREFIX + "events.account";
    /** Sent to events: envelopes wait for devices that are not connected. Body: OfflineDevices. */
    public static final String EVENTS_OFFLINE = PREFIX + "events.offline";
    /** accounts: a page of accounts for the operator. Body: AdminUsersRequest; reply: AdminUsers. */
    public static final String ADMIN_USERS = PREFIX + "admin.users";
    /** accounts: one account's devices for the operator. Body: AdminDevicesRequest; reply: AdminDevices. */
    public static final String ADMIN_DEVICES = PREFIX + "admin.devices";
    /** accounts: disable or enable an account. Body: AdminDisableRequest; reply: AdminDisabled. */
    public static final String ADMIN_DISABLE = PREFIX + "admin.disable";
    /** messaging: inbox depths for the operator. Body: InboxDepthsRequest; reply: InboxDepths. */
    public static final String ADMIN_INBOX_DEPTHS = PREFIX + "admin.inbox-depths";
    /** accounts: store an account's encrypted backup. Body: BackupPut; reply: BackupInfo. */
    public static final String ACCOUNTS_BACKUP_PUT = PREFIX + "accounts.backup-put";
    /** accounts: fetch (or delete) an account's backup. Body: BackupGet; reply: BackupBlob (BackupInfo on delete). */
    public static final String ACCOUNTS_BACKUP_GET = PREFIX + "accounts.backup-get";

    private Addresses() {
    }

    /** The address serving a client request kind: parley.rpc.<field name>, e.g. parley.rpc.send_message. */
    public static String rpc(Request.BodyCase kind) {
        return PREFIX + "rpc." + Request.getDescriptor().findFieldByNumber(kind.getNumber()).getName();
    }

    /** A connected device's local consumer, registered by the edge on the node that holds its socket. */
    public static String device(UUID userId, int deviceId) {
        return PREFIX + "device." + userId + "." + deviceId;
    }

    /** A node's own address: pushes and evictions for devices connected to that node arrive here. */
    public static String node(String nodeId) {
        return PREFIX + "node." + nodeId;
    }
}
