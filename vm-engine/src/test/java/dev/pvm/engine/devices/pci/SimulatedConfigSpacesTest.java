package dev.pvm.engine.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedConfigSpacesTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** Capability ids in list order, following the pointers from 0x34. */
    private static List<Integer> capabilities(PciConfigSpace c) {
        List<Integer> ids = new ArrayList<>();
        int at = c.read(0x34, 1);
        while (at != 0) {
            ids.add(c.read(at, 1));
            at = c.read(at + 1, 1);
        }
        return ids;
    }

    @Test
    void teslaV100IdentityAndBarsAsTheBoardShowsThem() {
        EmulatedConfigSpace c = SimulatedConfigSpaces.teslaV100(0x1db1, false);
        assertThat(c.size()).isEqualTo(4096);
        assertThat(c.read(0x00, 4)).isEqualTo(0x1db1_10de);
        assertThat(c.read(0x08, 4)).as("class 0x030200, revision 0xa1").isEqualTo(0x0302_00a1);
        assertThat(c.read(0x0e, 1)).isZero();
        assertThat(c.read(0x06, 2) & 0x10).as("capability list").isEqualTo(0x10);
        assertThat(capabilities(c)).containsExactly(0x01, 0x05, 0x10);
        assertThat(c.read(0x3d, 1)).as("INTA").isEqualTo(1);
        assertThat(PciBarProbe.probe(c)).containsExactly(
                new PciBar(0, 16 * MIB, PciBar.Space.MEMORY32, false),
                new PciBar(1, 16 * GIB, PciBar.Space.MEMORY64, true),
                new PciBar(3, 32 * MIB, PciBar.Space.MEMORY64, true),
                new PciBar(5, 128, PciBar.Space.IO, false));
        assertThat(PciBarProbe.probe(SimulatedConfigSpaces.teslaV100(0x1db5, false)).get(1).size())
                .isEqualTo(32 * GIB);
        assertThatThrownBy(() -> SimulatedConfigSpaces.teslaV100(0x1234, false))
                .hasMessageContaining("no simulated model for NVIDIA device 0x1234");
    }

    @Test
    void barSizingProtocolAndAssignment() {
        EmulatedConfigSpace c = SimulatedConfigSpaces.teslaV100(0x1db1, false);
        assertThat(c.read(0x10, 4)).as("unassigned at reset").isZero();
        c.write(0x10, 4, -1);
        assertThat(c.read(0x10, 4)).as("~(16 MiB - 1), 32-bit memory").isEqualTo(0xff00_0000);
        c.write(0x14, 4, -1);
        c.write(0x18, 4, -1);
        assertThat(c.read(0x14, 4)).as("16 GiB: no low address bits, 64-bit prefetchable").isEqualTo(0x0000_000c);
        assertThat(c.read(0x18, 4)).isEqualTo(0xffff_fffc);
        c.write(0x24, 4, -1);
        assertThat(c.read(0x24, 4)).as("128 bytes of IO").isEqualTo(0xffff_ff81);
        // The guest places BAR0 at 0x80000000 (the 32-bit window's bus address): alignment bits stay zero.
        c.write(0x10, 4, 0x8012_3456);
        assertThat(c.read(0x10, 4)).isEqualTo(0x8000_0000);
    }

    @Test
    void readOnlyWritableAndWriteOneToClearBits() {
        EmulatedConfigSpace c = SimulatedConfigSpaces.teslaV100(0x1db1, false);
        c.write(0x00, 4, 0);
        assertThat(c.read(0x00, 4)).as("ids are read-only").isEqualTo(0x1db1_10de);
        c.write(0x04, 2, 0xffff);
        assertThat(c.read(0x04, 2)).as("only the standard command bits stick").isEqualTo(0x0547);
        // Status: set an error bit behind the guest's back is impossible; writing ones to clear leaves the rest.
        c.write(0x06, 2, 0xffff);
        assertThat(c.read(0x06, 2)).isEqualTo(0x0010);
        c.write(0x3c, 1, 0x2a);
        assertThat(c.read(0x3c, 1)).as("interrupt line is scratch").isEqualTo(0x2a);
        c.write(0x3d, 1, 0);
        assertThat(c.read(0x3d, 1)).isEqualTo(1);
        EmulatedConfigSpace status = new EmulatedConfigSpace(256).register(0x06, 2, 0x8110, 0, 0xf900);
        status.write(0x06, 2, 0x8000);
        assertThat(status.read(0x06, 2)).as("W1C clears only the bits written as one").isEqualTo(0x0110);
    }

    @Test
    void npu2BridgeAsSkibootEmulatesIt() {
        EmulatedConfigSpace c = SimulatedConfigSpaces.npu2Bridge(4, true);
        assertThat(c.size()).as("skiboot's virtual device has 256 bytes").isEqualTo(256);
        assertThat(c.read(0x00, 4)).isEqualTo(0x04ea_1014);
        assertThat(c.read(0x08, 4)).isEqualTo(0x0680_0001);
        assertThat(c.read(0x0e, 1)).isEqualTo(0x80);
        assertThat(capabilities(c)).containsExactly(0x10, 0x09);
        assertThat(c.read(0x8c, 1)).as("link index in the vendor capability").isEqualTo(4);
        assertThat(c.read(0x44, 4) & (1 << 28)).as("FLR capable").isNotZero();
        assertThat(PciBarProbe.probe(c)).containsExactly(
                new PciBar(0, 0x20000, PciBar.Space.MEMORY64, false),
                new PciBar(2, 0x10000, PciBar.Space.MEMORY64, false));
        assertThat(SimulatedConfigSpaces.npu2Bridge(0, false).read(0x0e, 1)).isZero();
    }

    @Test
    void plainFunctionsCarryIdentityOnly() {
        EmulatedConfigSpace nic = SimulatedConfigSpaces.plain(0x14e4, 0x1657, 1, 0x020000, 0, true);
        assertThat(nic.read(0x00, 4)).isEqualTo(0x1657_14e4);
        assertThat(nic.read(0x0e, 1)).isEqualTo(0x80);
        assertThat(nic.read(0x34, 1)).isZero();
        assertThat(PciBarProbe.probe(nic)).isEmpty();
        EmulatedConfigSpace bridge = SimulatedConfigSpaces.plain(0x1014, 0x04c1, 0, 0x060400, 1, false);
        bridge.write(0x18, 4, 0x0002_0100);
        assertThat(bridge.read(0x19, 1)).as("secondary bus").isEqualTo(1);
        assertThat(bridge.read(0x1a, 1)).as("subordinate bus").isEqualTo(2);
        assertThat(PciBarProbe.probe(bridge)).as("type 1 header: no type-0 BARs").isEmpty();
    }

    @Test
    void accessesOutsideTheSpaceOrOfOddWidthsAreRefused() {
        EmulatedConfigSpace c = SimulatedConfigSpaces.npu2Bridge(0, false);
        assertThatThrownBy(() -> c.read(0x100, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.read(0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmulatedConfigSpace(512)).hasMessageContaining("256 or 4096");
    }
}
