package dev.pvm.engine.fdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FdtReaderTest {

    private static byte[] sample() {
        FdtWriter w = new FdtWriter();
        w.reserveMemory(0x10000, 0x1000);
        FdtWriter.Node root = w.beginNode("");
        w.propertyU32("#address-cells", 2);
        w.propertyStrings("compatible", "a", "b");
        FdtWriter.Node mem = w.beginNode("memory@0");
        w.propertyCells("reg", 0, 0, 0, 0x1000_0000);
        w.propertyU64("big", 0x1_2345_6789L);
        w.endNode(mem);
        FdtWriter.Node vdev = w.beginNode("vdevice");
        FdtWriter.Node vty = w.beginNode("vty@71000000");
        w.propertyString("compatible", "hvterm1");
        w.endNode(vty);
        w.endNode(vdev);
        w.endNode(root);
        return w.finish();
    }

    @Test
    void readsBackWhatTheWriterWrote() {
        FdtTree tree = FdtReader.read(sample());
        assertThat(tree.version()).isEqualTo(17);
        assertThat(tree.reservations()).hasSize(1);
        assertThat(tree.reservations().getFirst()).containsExactly(0x10000, 0x1000);
        assertThat(tree.root().requireProperty("#address-cells").u32()).isEqualTo(2);
        assertThat(tree.root().requireProperty("compatible").strings()).containsExactly("a", "b");
        FdtNode mem = tree.require("/memory@0");
        assertThat(mem.requireProperty("reg").cells()).containsExactly(0, 0, 0, 0x1000_0000);
        assertThat(mem.requireProperty("big").u64()).isEqualTo(0x1_2345_6789L);
        assertThat(tree.require("/vdevice/vty@71000000").requireProperty("compatible").string()).isEqualTo("hvterm1");
        assertThat(tree.root().childrenNamed("memory")).hasSize(1);
        assertThat(tree.find("/nothing")).isEmpty();
    }

    @Test
    void rejectsMalformedBlobs() {
        byte[] good = sample();
        assertThatThrownBy(() -> FdtReader.read(Arrays.copyOf(good, 20))).isInstanceOf(FdtFormatException.class)
                .hasMessageContaining("shorter than the header");
        byte[] badMagic = good.clone();
        badMagic[0] = 0;
        assertThatThrownBy(() -> FdtReader.read(badMagic)).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> FdtReader.read(Arrays.copyOf(good, good.length - 4)))
                .hasMessageContaining("exceeds the blob");
        byte[] badToken = good.clone();
        int structOffset = ((good[8] & 0xff) << 24) | ((good[9] & 0xff) << 16) | ((good[10] & 0xff) << 8) | (good[11] & 0xff);
        badToken[structOffset + 3] = 7;
        assertThatThrownBy(() -> FdtReader.read(badToken)).hasMessageContaining("not BEGIN_NODE");
    }
}
