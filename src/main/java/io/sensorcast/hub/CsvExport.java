package io.sensorcast.hub;

import java.util.List;

/**
 * The history of some channels as CSV (RFC 4180): {@code GET /api/channels/{id}/history.csv} and
 * {@code GET /api/history.csv}, over the same rings as the JSON history, but every point, never
 * decimated. Loop thread only.
 *
 * <p>A week of 200 channels is about two million rows, far more than the heap: the text is made in
 * parts ({@link #next}), each asked for when the peer has read the one before. Between parts the
 * rings go on filling, so the export walks each channel with a cursor in time, up to the instant
 * of the request: a point is written once, and nothing after the request is.
 *
 * <p>One header row, then one row per point; the columns say the resolution:
 * <pre>
 * channel,name,unit,time,epoch_ms,value          (5m, 1h: raw points)
 * channel,name,unit,time,epoch_ms,min,avg,max,count    (24h, 7d: minutes, time is the minute's start)
 * </pre>
 * {@code time} is ISO 8601 UTC, {@code epoch_ms} milliseconds since 1970 (raw points carry the µs
 * as three decimals, as the JSON's {@code t}). Lines end in CRLF; a field with a comma, a quote,
 * CR or LF (a display name can hold them) is quoted, its quotes doubled (RFC 4180 section 2).
 */
public final class CsvExport {

    public static final String RAW_HEADER = "channel,name,unit,time,epoch_ms,value\r\n";
    public static final String MINUTE_HEADER = "channel,name,unit,time,epoch_ms,min,avg,max,count\r\n";
    /** About the widest row: bounds how many rows one part asks the ring for. */
    private static final int ROW_CHARS_GUESS = 64;

    private final Hub hub;
    private final List<String> ids;
    private final boolean raw;
    private final long afterMicros;
    private final long untilMicros;

    private boolean headerWritten;
    private int index;
    /** Raw: the time of the last point written (µs). Minutes: the next minute to write. */
    private long cursor;
    private String prefix;
    private StringBuilder out;
    private final ChannelHistory.RawVisitor rawRow = this::rawRow;
    private final ChannelHistory.MinuteVisitor minuteRow = this::minuteRow;

    /**
     * @param ids      the channels, in the order of the file
     * @param query    the window (and {@code since}); its {@code points} does not apply
     * @param nowMicros the wall clock at the request: the export ends there
     */
    public CsvExport(Hub hub, List<String> ids, HistoryQuery query, long nowMicros) {
        this.hub = hub;
        this.ids = List.copyOf(ids);
        this.raw = query.window().raw;
        this.afterMicros = Math.max(query.sinceMicros(), nowMicros - query.window().seconds * 1_000_000L);
        this.untilMicros = nowMicros;
        startChannel();
    }

    /**
     * Appends the next part, about {@code maxChars} long (a row is never split), to {@code sb};
     * returns false when the export is complete with it.
     */
    public boolean next(StringBuilder sb, int maxChars) {
        out = sb;
        if (!headerWritten) {
            sb.append(raw ? RAW_HEADER : MINUTE_HEADER);
            headerWritten = true;
        }
        while (index < ids.size() && sb.length() < maxChars) {
            Hub.Channel ch = hub.channel(ids.get(index));
            if (ch == null) { // gone with a reload since the request: what is left of it is too
                index++;
                startChannel();
                continue;
            }
            if (prefix == null) {
                prefix = prefix(ch.info());
            }
            int rows = Math.max(1, (maxChars - sb.length()) / ROW_CHARS_GUESS);
            int n = raw
                    ? ch.history().rawPoints(cursor, untilMicros, rows, rawRow)
                    : ch.history().minutes(cursor, Math.floorDiv(untilMicros, 60_000_000L), rows, minuteRow);
            if (n < rows) {
                index++;
                startChannel();
            }
        }
        out = null;
        return index < ids.size();
    }

    private void startChannel() {
        prefix = null;
        // As the JSON: raw points after the window's start, minutes that end after it.
        cursor = raw ? afterMicros : Math.floorDiv(afterMicros, 60_000_000L);
    }

    private void rawRow(long epochMicros, float value) {
        out.append(prefix);
        appendIsoTime(out, epochMicros, true);
        out.append(',');
        JsonWriter.appendMillis(out, epochMicros);
        out.append(',');
        ChannelHistory.appendFloat(out, value);
        out.append("\r\n");
        cursor = epochMicros;
    }

    private void minuteRow(long epochMinute, float min, float avg, float max, int count) {
        out.append(prefix);
        appendIsoTime(out, epochMinute * 60_000_000L, false);
        out.append(',').append(epochMinute * 60_000L).append(',');
        ChannelHistory.appendFloat(out, min);
        out.append(',');
        ChannelHistory.appendFloat(out, avg);
        out.append(',');
        ChannelHistory.appendFloat(out, max);
        out.append(',').append(count).append("\r\n");
        cursor = epochMinute + 1;
    }

    /**
     * The download's file name: {@code <device>_<channel>_<window>.csv}, or {@code <device>_all_<window>.csv}
     * for every channel. The device name is the user's (a host name, most often); anything but
     * letters, digits, '.', '_' and '-' becomes '_', so the name needs no escaping in the header
     * (RFC 6266) and is a safe file name everywhere.
     */
    public static String fileName(String device, String channel, HistoryQuery.Window window) {
        String d = device == null || device.isBlank() ? "sensorcast" : device.replaceAll("[^A-Za-z0-9._-]", "_");
        return d + "_" + (channel == null ? "all" : channel) + "_" + window.wire + ".csv";
    }

    private static String prefix(ChannelInfo info) {
        StringBuilder sb = new StringBuilder(64);
        appendField(sb, info.id());
        sb.append(',');
        appendField(sb, info.name());
        sb.append(',');
        appendField(sb, info.unit());
        return sb.append(',').toString();
    }

    /** RFC 4180 section 2, rules 5 to 7: quoted only when it holds a comma, a quote, CR or LF. */
    static void appendField(StringBuilder sb, String s) {
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /**
     * ISO 8601 in UTC: {@code 2026-12-07T22:45:00.123456Z} with {@code micros}, else
     * {@code 2026-12-07T22:45:00Z}. Computed without allocating, since a week of channels is
     * millions of rows: days since 1970 to a civil date in the proleptic Gregorian calendar, by
     * 400-year eras of 146,097 days counted from 0000-03-01, so that February is the era's last month.
     */
    static void appendIsoTime(StringBuilder sb, long epochMicros, boolean micros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int fraction = (int) Math.floorMod(epochMicros, 1_000_000L);
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);

        long z = days + 719_468; // days from 0000-03-01 to 1970-01-01
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;                                                    // [0, 146096]
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365; // [0, 399]
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);     // [0, 365], from March
        long monthFromMarch = (5 * dayOfYear + 2) / 153;                                     // [0, 11]
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

        if (year >= 0 && year < 1000) {
            sb.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        sb.append(year).append('-');
        two(sb, month).append('-');
        two(sb, day).append('T');
        two(sb, secondOfDay / 3600).append(':');
        two(sb, secondOfDay / 60 % 60).append(':');
        two(sb, secondOfDay % 60);
        if (micros) {
            sb.append('.');
            for (int div = 100_000; div > 0; div /= 10) {
                sb.append((char) ('0' + fraction / div % 10));
            }
        }
        sb.append('Z');
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
