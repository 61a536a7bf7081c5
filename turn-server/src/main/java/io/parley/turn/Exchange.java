package io.parley.turn;

/**
 * One STUN request as received: its bytes (exactly the message), where the answer goes, and the slot that
 * holds the allocation of its 5-tuple (a map entry for UDP, the connection for TCP).
 */
record Exchange(byte[] bytes, ClientPath path, Slot slot, LoopState loop) {

    /** The allocation of one client 5-tuple, if any. */
    interface Slot {
        Allocation get();

        void set(Allocation allocation);

        /** Forgets {@code allocation} if it is still the one held. */
        void clear(Allocation allocation);
    }

    int length() {
        return RawAttributes.u16(bytes, 2);
    }

    byte[] transactionId() {
        return java.util.Arrays.copyOfRange(bytes, 8, Stun.HEADER);
    }

    boolean hasFingerprint() {
        return length() >= 8 && RawAttributes.u16(bytes, bytes.length - 8) == Stun.FINGERPRINT;
    }
}
