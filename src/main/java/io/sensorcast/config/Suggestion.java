package io.sensorcast.config;

import java.util.Collection;

/** "did you mean 'address'?": the closest known key by edit distance, if it is close enough. */
final class Suggestion {

    private Suggestion() {}

    static String didYouMean(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            if (Math.abs(given.length() - k.length()) > 3) {
                // Never close enough (the distance is at least the difference in length), and distance() takes
                // memory in the product of the lengths: a 1 MiB line must not cost a 64 MiB heap.
                continue;
            }
            int d = distance(given, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // Close enough to be a typo: at most a third of the word, and never more than 3 edits.
        if (best != null && bestDistance <= Math.min(3, Math.max(1, given.length() / 3))) {
            return " (did you mean '" + best + "'?)";
        }
        return "";
    }

    /** Levenshtein distance with adjacent transpositions (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
