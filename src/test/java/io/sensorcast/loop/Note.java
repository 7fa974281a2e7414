package io.sensorcast.loop;

/** A test's message for the loop: any value, posted and handed back as it was. */
record Note(Object value) implements Message {

    static Object of(Message m) {
        return ((Note) m).value();
    }
}
