package io.parley.bus;

/** WebSocket / SockJS close codes the edge uses, each 4000 + the matching failure code. */
public final class CloseCodes {
    public static final int UNAUTHORIZED = 4401;
    public static final int ACCOUNT_DISABLED = 4403;
    public static final int IDLE = 4408;
    public static final int REPLACED = 4409;
    public static final int DEVICE_REMOVED = 4410;
    public static final int TOO_LARGE = 4413;
    public static final int TOO_SLOW = 4429;
    public static final int SHUTTING_DOWN = 4503;

    private CloseCodes() {
    }
}
