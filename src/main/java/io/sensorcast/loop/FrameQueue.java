package io.sensorcast.loop;

/**
 * The frames queued on one connection, oldest first: a ring of references that doubles when full.
 *
 * <p>ArrayDeque would do, but it can only be walked with an iterator, and the loop walks every
 * monitor's queue for every write: at a sample per iteration that was one iterator object per
 * monitor per frame. Indexed access walks it allocating nothing, and lets the oldest samples be
 * dropped in one pass instead of one array shift per frame removed.
 */
final class FrameQueue {

    private OutboundFrame[] ring = new OutboundFrame[16]; // a power of two: index & (length - 1)
    private int head;
    private int size;
    /** Samples carried by the frames the last {@link #removeOldestSamples} removed. */
    private int removedSamples;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The i-th oldest frame, 0 being the head. */
    OutboundFrame get(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    void addLast(OutboundFrame frame) {
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = frame;
        size++;
    }

    OutboundFrame pollFirst() {
        if (size == 0) {
            return null;
        }
        OutboundFrame f = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        return f;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            ring[(head + i) & (ring.length - 1)] = null;
        }
        head = 0;
        size = 0;
    }

    /**
     * Removes sample frames, oldest first and from index {@code from} on, until {@code needed}
     * bytes are freed or no sample is left; other frames keep their order. Returns the bytes freed.
     *
     * <p>The cost is that of the frames it walks past, not of the whole queue: a monitor over its
     * cap drops a few frames at its head for every new one, with thousands queued behind them.
     * The frames it keeps among those walked (and the first {@code from}) move towards the tail
     * to close the gap, and the head moves past it.
     */
    long removeOldestSamples(int from, long needed) {
        int mask = ring.length - 1;
        long freed = 0;
        int samples = 0;
        int end = from; // one past the last frame walked
        while (end < size && freed < needed) {
            OutboundFrame f = ring[(head + end) & mask];
            if (f.kind() == OutboundFrame.Kind.SAMPLE) {
                freed += f.length();
                samples += f.samples();
            }
            end++;
        }
        removedSamples = samples;
        int w = end - 1; // where the next kept frame goes, walking back from the end
        for (int r = end - 1; r >= 0; r--) {
            OutboundFrame f = ring[(head + r) & mask];
            if (r < from || f.kind() != OutboundFrame.Kind.SAMPLE) {
                ring[(head + w--) & mask] = f;
            }
        }
        int removed = w + 1;
        for (int i = 0; i < removed; i++) {
            ring[(head + i) & mask] = null;
        }
        head = (head + removed) & mask;
        size -= removed;
        return freed;
    }

    /** Samples carried by the frames the last {@link #removeOldestSamples} removed (more than frames once merged). */
    int removedSamples() {
        return removedSamples;
    }

    /**
     * Puts {@code merged} in the place of the {@code count} frames from index {@code from} on, and
     * closes the gap: the frames after them keep their order.
     */
    void replaceRun(int from, int count, OutboundFrame merged) {
        int mask = ring.length - 1;
        ring[(head + from) & mask] = merged;
        int gap = count - 1;
        for (int i = from + 1; i + gap < size; i++) {
            ring[(head + i) & mask] = ring[(head + i + gap) & mask];
        }
        for (int i = size - gap; i < size; i++) {
            ring[(head + i) & mask] = null;
        }
        size -= gap;
    }

    /**
     * If a frame with the key of {@code frame} is queued at index {@code from} or later, removes it,
     * closes the gap and puts {@code frame} at the tail; returns the frame it replaced, or null (then
     * nothing changed). Walks from the tail: a key that changes often has its frame near it.
     */
    OutboundFrame supersede(int from, OutboundFrame frame) {
        Object key = frame.key();
        int mask = ring.length - 1;
        for (int i = size - 1; i >= from; i--) {
            OutboundFrame old = ring[(head + i) & mask];
            Object k = old.key();
            if (k != null && (k == key || k.equals(key))) {
                for (int j = i; j < size - 1; j++) {
                    ring[(head + j) & mask] = ring[(head + j + 1) & mask];
                }
                ring[(head + size - 1) & mask] = frame;
                return old;
            }
        }
        return null;
    }

    private void grow() {
        OutboundFrame[] bigger = new OutboundFrame[ring.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
