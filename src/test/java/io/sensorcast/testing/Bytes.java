package io.sensorcast.testing;

/** Byte arrays for tests that build wire input by hand. */
public final class Bytes {

    private Bytes() {}

    /** The parts one after the other, in one array. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
