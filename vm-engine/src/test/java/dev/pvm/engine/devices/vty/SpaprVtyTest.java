package dev.pvm.engine.devices.vty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.fdt.FdtNode;
import dev.pvm.engine.fdt.FdtReader;
import dev.pvm.engine.fdt.FdtWriter;
import org.junit.jupiter.api.Test;

class SpaprVtyTest {

    @Test
    void inputQueueDropsTheOldestBytesWhenFull() {
        SpaprVty vty = new SpaprVty(SpaprVty.DEFAULT_REG, (b, o, l) -> { });
        vty.feed(new byte[SpaprVty.INPUT_CAPACITY]);
        vty.feed(new byte[] {1, 2});
        assertThat(vty.pendingInput()).isEqualTo(SpaprVty.INPUT_CAPACITY);
        byte[] all = new byte[SpaprVty.INPUT_CAPACITY];
        assertThat(vty.read(all)).isEqualTo(SpaprVty.INPUT_CAPACITY);
        assertThat(all[all.length - 2]).isEqualTo((byte) 1);
        assertThat(all[all.length - 1]).isEqualTo((byte) 2);
    }

    @Test
    void deviceTreeNodeIsWhatHvcVioMatches() {
        FdtWriter w = new FdtWriter();
        FdtWriter.Node root = w.beginNode("");
        VtyDeviceTree.write(w, new SpaprVty(0x71000000, (b, o, l) -> { }));
        w.endNode(root);
        FdtNode vty = FdtReader.read(w.finish()).require("/vty@71000000");
        assertThat(vty.requireProperty("device_type").string()).isEqualTo("serial");
        assertThat(vty.requireProperty("compatible").string()).isEqualTo("hvterm1");
        assertThat(vty.requireProperty("reg").u32()).isEqualTo(0x71000000);
    }
}
