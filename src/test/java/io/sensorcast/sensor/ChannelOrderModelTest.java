package io.sensorcast.sensor;

import static io.sensorcast.testing.ModelThreads.runAll;

import io.sensorcast.hub.ChannelInfo;
import io.sensorcast.hub.Sample;
import io.sensorcast.hub.StatusChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A channel's posts from two threads, model-checked: an event sensor's edges (on the library's
 * callback thread) and its reads (on the device's thread) post to one channel, and through every
 * interleaving Lincheck reaches, the loop's inbox gets them in seq order and in time order.
 */
@Tag("lincheck")
class ChannelOrderModelTest {

    private static final List<ChannelInfo> CHANNELS = List.of(new ChannelInfo("door.state", "door", ""));

    /** One channel, door.state; nothing here is read for real: the model calls the posts directly. */
    private static final EventSensor DOOR = new EventSensor() {
        @Override
        public void listen(SampleSink sink) {}

        @Override
        public String id() {
            return "door";
        }

        @Override
        public List<ChannelInfo> channels() {
            return CHANNELS;
        }

        @Override
        public Duration interval() {
            return Duration.ofSeconds(10);
        }

        @Override
        public void read(double[] values) {
            values[0] = 0;
        }
    };

    /** The loop's inbox: a FIFO that takes every sample, in the order the posts reach it. */
    static final class Inbox implements SensorThread.Inbox {
        final List<Sample> samples = new ArrayList<>(); // guarded by this

        @Override
        public synchronized boolean sample(Sample s) {
            samples.add(s);
            return true;
        }

        @Override
        public void status(StatusChange c) {}

        synchronized List<Sample> taken() {
            return new ArrayList<>(samples);
        }
    }

    @Test
    void edgesAndReadsOfOneChannelReachTheInboxInSeqAndTimeOrder() {
        Lincheck.runConcurrentTest(1_000, () -> {
            Inbox inbox = new Inbox();
            SensorThread device = new SensorThread(DOOR, inbox, SensorThread.DEFAULT_TIMEOUT);
            Thread edges = new Thread(() -> {
                device.emit(0, 1);
                device.emit(0, 0);
            });
            Thread reads = new Thread(() -> {
                device.noteEdgesBeforeRead();
                device.postRead(new double[] {1});
            });
            runAll(edges, reads);

            List<Sample> got = inbox.taken();
            // The read's sample is dropped when an edge came between its start and its post.
            if (got.size() != 3 && got.size() != 2) {
                throw new AssertionError("two edges and maybe the read: " + got);
            }
            for (int i = 0; i < got.size(); i++) {
                if (got.get(i).seq() != i + 1) {
                    throw new AssertionError("the inbox has seq " + seqs(got) + ": not the order they were numbered in");
                }
                if (i > 0 && got.get(i - 1).epochMicros() > got.get(i).epochMicros()) {
                    throw new AssertionError("the inbox has a sample stamped before the one ahead of it: " + got);
                }
            }
        });
    }

    private static List<Long> seqs(List<Sample> samples) {
        List<Long> out = new ArrayList<>();
        for (Sample s : samples) {
            out.add(s.seq());
        }
        return out;
    }
}
