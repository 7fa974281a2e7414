package io.sensorcast.hub;

/**
 * One channel's past, in primitive arrays allocated once: a ring of raw samples (time, value) and a
 * ring of per-minute min/avg/max aggregates. Loop thread only (the hub owns it).
 *
 * <p>Sizes: a raw point is 12 bytes (epoch µs as long, value as float), a minute aggregate 18 bytes
 * (epoch minute as int, min/avg/max as floats, the sample count as a 16-bit char that stops at
 * 65,535: 200 channels' 7 days are 36 MiB, and an int would add 4 MiB more to a 64 MiB heap).
 * Values are kept as 32-bit floats (about 7 significant digits), more than any sensor here
 * resolves, to halve the memory of doubles.
 *
 * <p>Both rings stay sorted by time so that a window is found by binary search. A sample older than
 * the newest raw point (the wall clock stepped back) drops the raw points stamped after it: they
 * were stamped by the clock that was wrong. A finished minute is never changed or dropped (it may
 * be on disk already): after a step back, samples stamped in or before the newest finished minute
 * go to the raw ring only, and minutes are made again once the clock passes it.
 */
public final class ChannelHistory {

    private static final long MICROS_PER_MINUTE = 60_000_000L;

    private long[] rawT;
    private float[] rawV;
    private int rawStart;
    private int rawSize;

    private final int[] aggMinute;
    private final float[] aggMin;
    private final float[] aggAvg;
    private final float[] aggMax;
    private final char[] aggCount;
    private int aggStart;
    private int aggSize;

    /** The minute being accumulated; it joins the aggregate ring when a later minute begins. */
    private int curMinute;
    private double curMin;
    private double curMax;
    private double curSum;
    private int curCount;

    /**
     * @param rawCapacity       raw points kept (at least 1)
     * @param aggregateCapacity minutes kept (at least 1)
     */
    public ChannelHistory(int rawCapacity, int aggregateCapacity) {
        if (rawCapacity < 1 || aggregateCapacity < 1) {
            throw new IllegalArgumentException("history capacities must be at least 1");
        }
        rawT = new long[rawCapacity];
        rawV = new float[rawCapacity];
        aggMinute = new int[aggregateCapacity];
        aggMin = new float[aggregateCapacity];
        aggAvg = new float[aggregateCapacity];
        aggMax = new float[aggregateCapacity];
        aggCount = new char[aggregateCapacity];
    }

    /** Bytes held by the arrays of a history of these capacities (array headers left out). */
    public static long bytes(int rawCapacity, int aggregateCapacity) {
        return rawCapacity * 12L + aggregateCapacity * 18L;
    }

    public int rawCapacity() {
        return rawT.length;
    }

    public int aggregateCapacity() {
        return aggMinute.length;
    }

    public int rawSize() {
        return rawSize;
    }

    /** Finished minutes plus the one being accumulated. */
    public int aggregateSize() {
        return aggSize + (curCount > 0 ? 1 : 0);
    }

    /**
     * Adds a sample; returns true when it finished a minute (then {@link #newestMinute} and its
     * fellows describe it, for the history writer).
     */
    public boolean add(long epochMicros, double value) {
        addRaw(epochMicros, value);
        int minute = (int) Math.floorDiv(epochMicros, MICROS_PER_MINUTE);
        return aggregate(minute, value);
    }

    private void addRaw(long epochMicros, double value) {
        if (rawSize > 0 && epochMicros < rawTime(rawSize - 1)) {
            rawSize = rawLowerBound(epochMicros + 1); // keep points at or before t, drop the later ones
        }
        int slot = (rawStart + rawSize) % rawT.length;
        rawT[slot] = epochMicros;
        rawV[slot] = (float) value;
        if (rawSize < rawT.length) {
            rawSize++;
        } else {
            rawStart = (rawStart + 1) % rawT.length;
        }
    }

    private boolean aggregate(int minute, double value) {
        boolean finished = false;
        if (curCount > 0 && minute != curMinute) {
            finishMinute(); // later, or earlier (stepped back): what the minute had is kept either way
            finished = true;
        }
        if (aggSize > 0 && minute <= newestMinute()) {
            return finished; // stepped back behind a finished minute: raw only until the clock passes it
        }
        if (curCount == 0) {
            curMinute = minute;
            curMin = value;
            curMax = value;
            curSum = 0;
        }
        curMin = Math.min(curMin, value);
        curMax = Math.max(curMax, value);
        curSum += value;
        curCount++;
        return finished;
    }

    private void finishMinute() {
        int slot = (aggStart + aggSize) % aggMinute.length;
        aggMinute[slot] = curMinute;
        aggMin[slot] = (float) curMin;
        aggAvg[slot] = (float) (curSum / curCount);
        aggMax[slot] = (float) curMax;
        aggCount[slot] = (char) Math.min(Character.MAX_VALUE, curCount);
        if (aggSize < aggMinute.length) {
            aggSize++;
        } else {
            aggStart = (aggStart + 1) % aggMinute.length;
        }
        curCount = 0;
    }

    private int newestSlot() {
        return (aggStart + aggSize - 1) % aggMinute.length;
    }

    /** The newest finished minute (epoch minutes); only when {@link #aggregateSize} counts one. */
    public int newestMinute() {
        return aggMinute[newestSlot()];
    }

    public float newestMin() {
        return aggMin[newestSlot()];
    }

    public float newestAvg() {
        return aggAvg[newestSlot()];
    }

    public float newestMax() {
        return aggMax[newestSlot()];
    }

    /** Samples in the newest finished minute (at most 65,535). */
    public int newestCount() {
        return aggCount[newestSlot()];
    }

    /**
     * A stored minute read back at start, in ascending order: one not after the newest kept is
     * ignored (returns false), so reading the same minute twice cannot duplicate it.
     */
    public boolean restoreMinute(int minute, float min, float avg, float max, int count) {
        if (curCount > 0 || (aggSize > 0 && minute <= newestMinute())) {
            return false;
        }
        curMinute = minute;
        curMin = min;
        curMax = max;
        curSum = (double) avg * Math.max(1, count);
        curCount = Math.max(1, count);
        finishMinute();
        aggAvg[newestSlot()] = avg; // exactly as stored, not sum / count again
        return true;
    }

    /**
     * A raw point of the raw hour a clean stop wrote, in ascending order, after the stored minutes:
     * a point of a minute already stored goes to the raw ring only; a later one (the minute that
     * was filling at the stop) is aggregated again, so that minute continues.
     */
    public void restoreRaw(long epochMicros, float value) {
        int minute = (int) Math.floorDiv(epochMicros, MICROS_PER_MINUTE);
        if (rawSize > 0 && epochMicros <= rawTime(rawSize - 1)) {
            return;
        }
        addRaw(epochMicros, value);
        if (!(aggSize > 0 && minute <= newestMinute())) {
            aggregate(minute, value);
        }
    }

    /**
     * Gives the raw ring a new capacity, keeping the newest points that fit and every minute (a
     * history read back before its channel's rate was known).
     */
    public void resizeRaw(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacities must be at least 1");
        }
        if (capacity == rawT.length) {
            return;
        }
        long[] t = new long[capacity];
        float[] v = new float[capacity];
        int keep = Math.min(rawSize, capacity);
        for (int k = 0; k < keep; k++) {
            t[k] = rawTime(rawSize - keep + k);
            v[k] = rawValue(rawSize - keep + k);
        }
        rawT = t;
        rawV = v;
        rawStart = 0;
        rawSize = keep;
    }

    /** The time (epoch µs) of raw point {@code i}, oldest first (0 to {@link #rawSize()} - 1). */
    public long rawTimeAt(int i) {
        return rawTime(i);
    }

    /** The value of raw point {@code i}, oldest first. */
    public float rawValueAt(int i) {
        return rawValue(i);
    }

    /** A copy of the raw ring, oldest first: [0] epoch µs, for the raw hour a clean stop writes. */
    public long[] rawTimes() {
        long[] t = new long[rawSize];
        for (int k = 0; k < rawSize; k++) {
            t[k] = rawTime(k);
        }
        return t;
    }

    /** The values of {@link #rawTimes()}, in the same order. */
    public float[] rawValues() {
        float[] v = new float[rawSize];
        for (int k = 0; k < rawSize; k++) {
            v[k] = rawValue(k);
        }
        return v;
    }

    /** Finished minutes only, oldest first: {@code each(minute, min, avg, max, count)}. */
    public void forEachMinute(MinuteConsumer each) {
        for (int k = 0; k < aggSize; k++) {
            int slot = (aggStart + k) % aggMinute.length;
            each.minute(aggMinute[slot], aggMin[slot], aggAvg[slot], aggMax[slot], aggCount[slot]);
        }
    }

    /** One finished minute. */
    @FunctionalInterface
    public interface MinuteConsumer {
        void minute(int minute, float min, float avg, float max, int count);
    }

    private long rawTime(int i) {
        return rawT[(rawStart + i) % rawT.length];
    }

    private float rawValue(int i) {
        return rawV[(rawStart + i) % rawT.length];
    }

    /** The first logical index whose time is at or after {@code micros}. */
    private int rawLowerBound(long micros) {
        int lo = 0;
        int hi = rawSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rawTime(mid) < micros) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Writes {@code "t":[…],"v":[…]} for the raw points after {@code afterMicros}, at most
     * {@code maxPoints} of them: more are decimated into min/max pairs per bucket, so peaks and
     * troughs survive and the line keeps its shape. Times are epoch ms with a µs fraction.
     */
    public void writeRaw(StringBuilder sb, long afterMicros, int maxPoints) {
        int from = rawLowerBound(afterMicros + 1);
        int n = rawSize - from;
        int[] picks = pickMinMax(from, n, Math.max(2, maxPoints));
        sb.append("\"t\":[");
        for (int k = 0; k < picks.length; k++) {
            if (k > 0) {
                sb.append(',');
            }
            JsonWriter.appendMillis(sb, rawTime(picks[k]));
        }
        sb.append("],\"v\":[");
        for (int k = 0; k < picks.length; k++) {
            if (k > 0) {
                sb.append(',');
            }
            appendFloat(sb, rawValue(picks[k]));
        }
        sb.append(']');
    }

    /** Logical indexes to send: all of [from, from+n) if they fit, else each bucket's min and max in time order. */
    private int[] pickMinMax(int from, int n, int maxPoints) {
        if (n <= maxPoints) {
            int[] all = new int[n];
            for (int k = 0; k < n; k++) {
                all[k] = from + k;
            }
            return all;
        }
        int buckets = maxPoints / 2;
        int[] out = new int[buckets * 2];
        int count = 0;
        for (int b = 0; b < buckets; b++) {
            int a = from + (int) ((long) n * b / buckets);
            int z = from + (int) ((long) n * (b + 1) / buckets);
            int lo = a;
            int hi = a;
            for (int i = a + 1; i < z; i++) {
                float v = rawValue(i);
                if (v < rawValue(lo)) {
                    lo = i;
                }
                if (v > rawValue(hi)) {
                    hi = i;
                }
            }
            if (lo == hi) {
                out[count++] = lo;
            } else {
                out[count++] = Math.min(lo, hi);
                out[count++] = Math.max(lo, hi);
            }
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /**
     * Writes {@code "t":[…],"min":[…],"avg":[…],"max":[…]} for the minutes that end after
     * {@code afterMicros} (so a refill also gets the minute that was still filling), the one being
     * accumulated last; more than {@code maxPoints} are merged into buckets of adjacent minutes.
     * {@code t} is the start of the minute (or of the bucket) in epoch ms.
     */
    public void writeMinutes(StringBuilder sb, long afterMicros, int maxPoints) {
        long afterMinute = Math.floorDiv(afterMicros, MICROS_PER_MINUTE);
        int lo = 0;
        int hi = aggSize;
        while (lo < hi) { // first finished minute at or after afterMinute
            int mid = (lo + hi) >>> 1;
            if (aggMinute[(aggStart + mid) % aggMinute.length] < afterMinute) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int from = lo;
        boolean withCurrent = curCount > 0 && curMinute >= afterMinute;
        int n = aggSize - from + (withCurrent ? 1 : 0);
        int buckets = Math.min(n, Math.max(1, maxPoints));
        long[] t = new long[buckets];
        float[] min = new float[buckets];
        float[] avg = new float[buckets];
        float[] max = new float[buckets];
        for (int b = 0; b < buckets; b++) {
            int a = (int) ((long) n * b / buckets);
            int z = (int) ((long) n * (b + 1) / buckets);
            float bMin = Float.POSITIVE_INFINITY;
            float bMax = Float.NEGATIVE_INFINITY;
            double sum = 0;
            for (int k = a; k < z; k++) {
                int i = from + k;
                int minute;
                float mMin;
                float mAvg;
                float mMax;
                if (i < aggSize) {
                    int slot = (aggStart + i) % aggMinute.length;
                    minute = aggMinute[slot];
                    mMin = aggMin[slot];
                    mAvg = aggAvg[slot];
                    mMax = aggMax[slot];
                } else {
                    minute = curMinute;
                    mMin = (float) curMin;
                    mAvg = (float) (curSum / curCount);
                    mMax = (float) curMax;
                }
                if (k == a) {
                    t[b] = minute * 60_000L;
                }
                bMin = Math.min(bMin, mMin);
                bMax = Math.max(bMax, mMax);
                sum += mAvg; // minutes weigh the same: each had a full minute of samples, or the current one
            }
            min[b] = bMin;
            avg[b] = (float) (sum / (z - a));
            max[b] = bMax;
        }
        sb.append("\"t\":[");
        for (int b = 0; b < buckets; b++) {
            sb.append(b > 0 ? "," : "").append(t[b]);
        }
        sb.append(']');
        floats(sb, "min", min);
        floats(sb, "avg", avg);
        floats(sb, "max", max);
    }

    /** A raw point, for {@link #rawPoints}. */
    public interface RawVisitor {
        void point(long epochMicros, float value);
    }

    /**
     * A minute's aggregate, for {@link #minutes}; {@code epochMinute} is its start in minutes since
     * 1970, {@code count} its samples (at most 65,535).
     */
    public interface MinuteVisitor {
        void minute(long epochMinute, float min, float avg, float max, int count);
    }

    /**
     * Every raw point with a time in ({@code afterMicros}, {@code untilMicros}], oldest first, at
     * most {@code max} of them, undecimated (the CSV export walks a window in parts this way).
     * Returns how many were visited.
     */
    public int rawPoints(long afterMicros, long untilMicros, int max, RawVisitor to) {
        int n = 0;
        for (int i = rawLowerBound(afterMicros + 1); i < rawSize && n < max; i++, n++) {
            long t = rawTime(i);
            if (t > untilMicros) {
                break;
            }
            to.point(t, rawValue(i));
        }
        return n;
    }

    /**
     * Every minute from {@code fromMinute} to {@code untilMinute} (epoch minutes, both included),
     * the one being accumulated last, at most {@code max} of them, unmerged. Returns how many.
     */
    public int minutes(long fromMinute, long untilMinute, int max, MinuteVisitor to) {
        int lo = 0;
        int hi = aggSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (aggMinute[(aggStart + mid) % aggMinute.length] < fromMinute) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int n = 0;
        for (int i = lo; i < aggSize && n < max; i++, n++) {
            int slot = (aggStart + i) % aggMinute.length;
            if (aggMinute[slot] > untilMinute) {
                return n;
            }
            to.minute(aggMinute[slot], aggMin[slot], aggAvg[slot], aggMax[slot], aggCount[slot]);
        }
        if (n < max && curCount > 0 && curMinute >= fromMinute && curMinute <= untilMinute) {
            to.minute(curMinute, (float) curMin, (float) (curSum / curCount), (float) curMax,
                    Math.min(Character.MAX_VALUE, curCount));
            n++;
        }
        return n;
    }

    private static void floats(StringBuilder sb, String name, float[] values) {
        sb.append(",\"").append(name).append("\":[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendFloat(sb, values[i]);
        }
        sb.append(']');
    }

    /** The shortest decimal that reads back as the same float: "21.3", not "21.299999237060547". */
    static void appendFloat(StringBuilder sb, float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7f) {
            sb.append((long) v);
        } else {
            sb.append(Float.toString(v));
        }
    }
}
