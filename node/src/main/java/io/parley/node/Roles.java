package io.parley.node;

import java.util.List;

/** The roles a node can run; each is one verticle. A node runs all of them unless told otherwise. */
final class Roles {
    static final String EDGE = "edge";
    static final String ACCOUNTS = "accounts";
    static final String MESSAGING = "messaging";
    static final String RECEIPTS = "receipts";
    static final String PRESENCE = "presence";
    static final String KEYS = "keys";
    static final String GROUPS = "groups";
    static final String TURN = "turn";
    static final String CALLS = "calls";
    static final String MEDIA = "media";
    static final String STATUS = "status";
    static final String EVENTS = "events";

    static final List<String> ALL = List.of(EDGE, ACCOUNTS, MESSAGING, RECEIPTS, PRESENCE, KEYS, GROUPS, TURN, CALLS,
            MEDIA, STATUS, EVENTS);

    private Roles() {
    }
}
