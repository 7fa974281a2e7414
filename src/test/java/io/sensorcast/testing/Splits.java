package io.sensorcast.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Ways to cut one byte stream into reads, for the incremental parsers' promise that any split gives the same
 * result. The cuts are a function of the bytes alone, so a fuzz input always replays the same way, and a fuzzer that
 * changes the bytes also changes where they are cut.
 */
public final class Splits {
    private Splits() {}

    /** Read sizes for {@code data}: all of it at once, one byte per read, and uneven reads (1 to 40 bytes, some larger). */
    public static List<int[]> of(byte[] data) {
        int n = data.length;
        List<int[]> ways = new ArrayList<>(3);
        ways.add(n == 0 ? new int[0] : new int[] {n});
        int[] single = new int[n];
        Arrays.fill(single, 1);
        ways.add(single);
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(data));
        List<Integer> sizes = new ArrayList<>();
        for (int left = n; left > 0; ) {
            int size = Math.min(left, random.nextInt(8) == 0 ? 1 + random.nextInt(512) : 1 + random.nextInt(40));
            sizes.add(size);
            left -= size;
        }
        ways.add(sizes.stream().mapToInt(Integer::intValue).toArray());
        return ways;
    }
}
