package io.parley.turn;

/**
 * The STUN error codes this server answers with (RFC 8489 section 14.8, RFC 8656 section 19). They are
 * protocol codes a TURN client understands, so they stay STUN's own rather than Parley's Failure codes;
 * where both exist they agree (400, 401, 403, 429).
 */
enum TurnError {
    BAD_REQUEST(400, "Bad Request"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    UNKNOWN_ATTRIBUTE(420, "Unknown Attribute"),
    TOO_MANY_REQUESTS(429, "Too Many Requests"),
    ALLOCATION_MISMATCH(437, "Allocation Mismatch"),
    STALE_NONCE(438, "Stale Nonce"),
    ADDRESS_FAMILY_NOT_SUPPORTED(440, "Address Family not Supported"),
    WRONG_CREDENTIALS(441, "Wrong Credentials"),
    UNSUPPORTED_TRANSPORT(442, "Unsupported Transport Protocol"),
    PEER_ADDRESS_FAMILY_MISMATCH(443, "Peer Address Family Mismatch"),
    ALLOCATION_QUOTA_REACHED(486, "Allocation Quota Reached"),
    INSUFFICIENT_CAPACITY(508, "Insufficient Capacity");

    private final int code;
    private final String phrase;

    TurnError(int code, String phrase) {
        this.code = code;
        this.phrase = phrase;
    }

    int code() {
        return code;
    }

    String phrase() {
        return phrase;
    }
}
