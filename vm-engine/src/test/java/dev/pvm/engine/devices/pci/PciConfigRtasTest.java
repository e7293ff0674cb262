package dev.pvm.engine.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.rtas.RtasStatus;
import dev.pvm.engine.rtas.RtasTable;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The four RTAS config calls against a vPHB with two NPU bridges and a V100, as QEMU's spapr_pci.c answers. */
class PciConfigRtasTest {

    private static final long ARGS = 0x1000;
    private static final long BUID = 0x800000020000001L;
    private static final int HI = (int) (BUID >>> 32);
    private static final int LO = (int) BUID;

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 16)));
    private final RtasTable table = new RtasTable(memory);
    private final CpuState cpu = new CpuState(0);
    private final SpaprPhb phb = new SpaprPhb(phbConfig());

    PciConfigRtasTest() {
        PciConfigRtas.register(table, List.of(phb));
    }

    static PassthroughDevice device(String address, int devfn, DeviceModel model, int vendor, int device,
            int linkIndex) {
        return new PassthroughDevice(address, devfn, PciDeviceRole.PCI, 0, 7, vendor, device, 0, 0, 0, model,
                linkIndex, OptionalInt.empty());
    }

    static PhbConfig phbConfig() {
        return new PhbConfig(1, BUID, List.of(0x80000100, 0x80000101),
                new AddressWindow(0x200000010000L, 0x10000), new AddressWindow(0x200100000000L, 0x80000000L),
                0x80000000L, new AddressWindow(0x220000000000L, 0x10000000000L), 0x220000000000L,
                new AddressWindow(0, 0x40000000), List.of(
                        device("0007:00:00.0", 0x00, DeviceModel.NPU2_BRIDGE, 0x1014, 0x04ea, 0),
                        device("0007:00:00.1", 0x01, DeviceModel.NPU2_BRIDGE, 0x1014, 0x04ea, 1),
                        device("0004:04:00.0", 0x08, DeviceModel.TESLA_V100, 0x10de, 0x1db1, 0)),
                Optional.empty(), List.of());
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private int call(RtasService service, int nret, int... args) {
        memory.store32(ARGS, service.token(), ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 4, args.length, ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 8, nret, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < args.length; i++) {
            memory.store32(ARGS + 12 + 4L * i, args[i], ByteOrder.BIG_ENDIAN);
        }
        for (int i = 0; i < nret; i++) {
            memory.store32(ARGS + 12 + 4L * (args.length + i), 0x5a5a5a5a, ByteOrder.BIG_ENDIAN);
        }
        cpu.gpr[4] = ARGS;
        table.hcall(cpu);
        return ret(args.length, 0);
    }

    private int ret(int nargs, int i) {
        return memory.load32(ARGS + 12 + 4L * (nargs + i), ByteOrder.BIG_ENDIAN);
    }

    private static int addr(int bus, int devfn, int register) {
        return new PciConfigAddress(bus, devfn, register).encode();
    }

    @Test
    void configAddressLayoutIncludesTheExtendedRegisterBits() {
        assertThat(PciConfigAddress.decode(0x0001_0810)).isEqualTo(new PciConfigAddress(1, 8, 0x10));
        assertThat(PciConfigAddress.decode(0x0a00_0804)).isEqualTo(new PciConfigAddress(0, 8, 0xa04));
        assertThat(new PciConfigAddress(0, 8, 0xa04).encode()).isEqualTo(0x0a00_0804);
    }

    @Test
    void readsIdsOfEveryFunctionInEachSize() {
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 0), HI, LO, 4)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(ret(4, 1)).isEqualTo(0x1db1_10de);
        call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x01, 2), HI, LO, 2);
        assertThat(ret(4, 1)).isEqualTo(0x04ea);
        call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x00, 0x0b), HI, LO, 1);
        assertThat(ret(4, 1)).as("base class 0x06").isEqualTo(0x06);
        call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x00, 0x0e), HI, LO, 1);
        assertThat(ret(4, 1)).as("two functions share slot 0").isEqualTo(0x80);
    }

    @Test
    void writesThenReadsBackTheBarSizeMask() {
        assertThat(call(RtasService.IBM_WRITE_PCI_CONFIG, 1, addr(0, 0x08, 0x10), HI, LO, 4, -1))
                .isEqualTo(RtasStatus.SUCCESS);
        call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 0x10), HI, LO, 4);
        assertThat(ret(4, 1)).isEqualTo(0xff00_0000);
        phb.reset();
        call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 0x10), HI, LO, 4);
        assertThat(ret(4, 1)).as("a reset unassigns the BAR").isZero();
    }

    @Test
    void extendedRegistersExistOnlyOnExpressFunctions() {
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 0x100), HI, LO, 4))
                .isEqualTo(RtasStatus.SUCCESS);
        assertThat(ret(4, 1)).as("no extended capabilities").isZero();
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x00, 0x100), HI, LO, 4))
                .as("the NPU bridge has 256 bytes").isEqualTo(RtasStatus.HARDWARE_ERROR);
    }

    @Test
    void failuresAnswerHardwareErrorAndAllOnes() {
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x10, 0), HI, LO, 4))
                .as("no device at 0x10").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(ret(4, 1)).isEqualTo(-1);
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(1, 0x08, 0), HI, LO, 4))
                .as("no bus 1").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 0), HI, LO + 1, 4))
                .as("unknown BUID").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 0), HI, LO, 3))
                .as("size 3").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 2, addr(0, 0x08, 2), HI, LO, 4))
                .as("misaligned").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.IBM_READ_PCI_CONFIG, 1, addr(0, 0x08, 0), HI, LO, 4))
                .as("one return word").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.IBM_WRITE_PCI_CONFIG, 1, addr(0, 0x08, 0x3c), HI, LO, 2, 0))
                .as("an aligned 2-byte write").isEqualTo(RtasStatus.SUCCESS);
        assertThat(call(RtasService.IBM_WRITE_PCI_CONFIG, 1, addr(0, 0x08, 0x3d), HI, LO, 2, 0))
                .as("misaligned write").isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.IBM_WRITE_PCI_CONFIG, 1, addr(0, 0x08, 0x3c), HI, LO, 1))
                .as("four arguments").isEqualTo(RtasStatus.HARDWARE_ERROR);
    }

    @Test
    void theOlderCallsAddressBuidZeroWhereNoPhbIs() {
        // QEMU passes BUID 0 for read-pci-config/write-pci-config; sPAPR PHBs start at 0x800000020000000.
        assertThat(call(RtasService.READ_PCI_CONFIG, 2, addr(0, 0x08, 0), 4)).isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(ret(2, 1)).isEqualTo(-1);
        assertThat(call(RtasService.WRITE_PCI_CONFIG, 1, addr(0, 0x08, 4), 2, 6))
                .isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(call(RtasService.READ_PCI_CONFIG, 1, addr(0, 0x08, 0), 4)).isEqualTo(RtasStatus.HARDWARE_ERROR);
        assertThat(table.tokens()).containsKeys("ibm,read-pci-config", "ibm,write-pci-config", "read-pci-config",
                "write-pci-config");
    }
}
