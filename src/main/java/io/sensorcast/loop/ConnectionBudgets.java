package io.sensorcast.loop;

/**
 * The memory every connection draws on together, so that many peers each under their own cap
 * cannot add up to more than a small heap. Loop thread only.
 */
final class ConnectionBudgets {

    static final int READ_BUFFER_BYTES = 64 * 1024;
    /**
     * Outbound bytes that are not shared samples (HTTP responses, pongs, command replies, echoes),
     * summed over every connection: a quarter of a 64 MiB heap. Over it, peers with unread answers
     * are not read until they catch up (the echo endpoint's 16 MiB messages count alone and pass).
     */
    private static final long ANSWER_BUDGET_BYTES = 16L * 1024 * 1024;
    /**
     * Input held back, summed over every connection. A connection whose answers are not being read
     * stops reading but keeps what its last read brought (up to one read buffer): 1,024 such peers
     * would hold the whole heap. Past this budget reads shrink to {@link #SMALL_READ_BYTES}, so the
     * worst case is the budget plus max_connections times 2 KiB.
     */
    private static final long STASH_BUDGET_BYTES = 4L * 1024 * 1024;
    private static final int SMALL_READ_BYTES = 2 * 1024;

    private long answerBytes;
    private long stashedBytes;

    void addAnswerBytes(long delta) {
        answerBytes += delta;
    }

    boolean answersOverBudget() {
        return answerBytes >= ANSWER_BUDGET_BYTES;
    }

    void addStashedBytes(long delta) {
        stashedBytes += delta;
    }

    long stashedBytes() {
        return stashedBytes;
    }

    /** How much one read may take: a whole read buffer, unless held-back input is over its budget. */
    int readLimit() {
        return stashedBytes < STASH_BUDGET_BYTES ? READ_BUFFER_BYTES : SMALL_READ_BYTES;
    }
}
