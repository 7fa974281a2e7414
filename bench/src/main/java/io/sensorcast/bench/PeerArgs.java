package io.sensorcast.bench;

/** The two arguments every peer takes: --port N --rate R. */
record PeerArgs(int port, double rate) {

    static PeerArgs parse(String[] args) {
        int port = -1;
        double rate = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port <= 0 || rate <= 0) {
            throw new IllegalArgumentException("usage: --port N --rate SAMPLES_PER_SECOND");
        }
        return new PeerArgs(port, rate);
    }
}
