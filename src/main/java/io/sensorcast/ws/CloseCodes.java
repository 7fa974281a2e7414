package io.sensorcast.ws;

/** Close status codes, RFC 6455 section 7.4.1, plus 1012-1014 from the IANA "WebSocket Close Code Number" registry. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reserved: "no status code was present". Never sent; reported locally for a close frame without a body. */
    public static final int NO_STATUS = 1005;
    /** Reserved: the connection dropped without a close frame. Never sent. */
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }

    /**
     * May a peer send this code in a close frame? RFC 6455 7.4.1/7.4.2: 1000-1003 and 1007-1011 are defined,
     * 1012-1014 were registered later; 3000-3999 (registered) and 4000-4999 (private use) are for applications.
     * 1004, 1005, 1006 and 1015 are reserved and must never appear on the wire; everything else is unassigned.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
