package dev.pvm.engine.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsoleBufferTest {

    private static void write(ConsoleBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        b.write(bytes, 0, bytes.length);
    }

    private static String text(ConsoleBuffer.Chunk c) {
        return new String(c.data(), StandardCharsets.US_ASCII);
    }

    @Test
    void readsByOffset() {
        ConsoleBuffer b = new ConsoleBuffer(1024);
        write(b, "hello ");
        write(b, "world");
        assertThat(b.end()).isEqualTo(11);
        assertThat(text(b.read(0, 100))).isEqualTo("hello world");
        ConsoleBuffer.Chunk c = b.read(6, 3);
        assertThat(c.offset()).isEqualTo(6);
        assertThat(text(c)).isEqualTo("wor");
        assertThat(b.read(11, 10).data()).isEmpty();
        assertThat(b.read(50, 10).offset()).isEqualTo(11);
    }

    @Test
    void dropsTheOldestBytesBeyondCapacityAndKeepsCounting() {
        ConsoleBuffer b = new ConsoleBuffer(8);
        write(b, "abcdef");
        write(b, "ghij");
        assertThat(b.end()).isEqualTo(10);
        ConsoleBuffer.Chunk c = b.read(0, 100);
        assertThat(c.offset()).isEqualTo(2);
        assertThat(text(c)).isEqualTo("cdefghij");
        write(b, "0123456789ABC");
        c = b.read(0, 100);
        assertThat(c.offset()).isEqualTo(15);
        assertThat(text(c)).isEqualTo("56789ABC");
        assertThat(b.text()).isEqualTo("56789ABC");
    }

    @Test
    void watchersHearWritesAndTheEnd() {
        ConsoleBuffer b = new ConsoleBuffer(64);
        AtomicInteger calls = new AtomicInteger();
        Runnable w = calls::incrementAndGet;
        b.watch(w);
        write(b, "x");
        b.close();
        write(b, "ignored after close");
        assertThat(calls.get()).isEqualTo(2);
        assertThat(b.closed()).isTrue();
        assertThat(b.end()).isEqualTo(1);
        b.unwatch(w);
    }
}
