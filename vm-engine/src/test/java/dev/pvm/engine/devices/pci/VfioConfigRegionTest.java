package dev.pvm.engine.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VFIO config region over a file: pread/pwrite at the region's offset, little-endian. */
class VfioConfigRegionTest {

    private static final long REGION = 0x7000;

    @TempDir
    Path dir;

    @Test
    void readsAndWritesAtTheRegionOffset() throws IOException {
        Path device = dir.resolve("vfio-device");
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x1db1_10de)
                    .putShort(0x0a, (short) 0x0302), REGION);
            VfioConfigRegion config = new VfioConfigRegion(ch, REGION, 256);
            assertThat(config.read(0x00, 2)).isEqualTo(0x10de);
            assertThat(config.read(0x02, 2)).isEqualTo(0x1db1);
            assertThat(config.read(0x00, 4)).isEqualTo(0x1db1_10de);
            assertThat(config.read(0x0b, 1)).isEqualTo(0x03);
            config.write(0x04, 2, 0x0006);
            config.write(0x3c, 1, 0x1ab);
            ByteBuffer back = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(back, REGION + 4);
            assertThat(back.getShort(0)).isEqualTo((short) 6);
            assertThat(config.read(0x3c, 1)).as("one byte written").isEqualTo(0xab);
            assertThat(config.size()).isEqualTo(256);
        }
    }

    @Test
    void aReadPastTheFileFailsAsAnIoError() throws IOException {
        Path device = dir.resolve("short");
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            VfioConfigRegion config = new VfioConfigRegion(ch, 0, 4096);
            assertThatThrownBy(() -> config.read(0x100, 4)).isInstanceOf(UncheckedIOException.class);
        }
        assertThatThrownBy(() -> new VfioConfigRegion(null, 0, 100)).hasMessageContaining("256 or 4096");
    }
}
