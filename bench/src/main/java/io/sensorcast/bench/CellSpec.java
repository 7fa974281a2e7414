package io.sensorcast.bench;

/** One measurement: a number of monitors watching one server fed at one rate, for a while. */
record CellSpec(String scenario, int monitors, double rate, double warmupSeconds, double seconds) {

    /** Samples the monitors together should receive in the window if nothing is lost. */
    double expectedFrames() {
        return monitors * rate * seconds;
    }
}
