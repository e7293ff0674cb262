package dev.pvm.engine.devices.xics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.devices.vty.SpaprVty;
import dev.pvm.engine.hcall.HcallStatus;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.rtas.RtasStatus;
import dev.pvm.engine.rtas.RtasTable;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** XICS as the guest drives it: hcall-interrupt from two vCPUs and the RTAS xive services, as Linux uses them. */
class XicsGuestInterfaceTest {

    private static final long ARGS = 0x1000;

    private final RecordingInterruptInputs lines = new RecordingInterruptInputs();
    private final Xics xics = new Xics(2, lines);
    private final HcallTable hcalls = new HcallTable();
    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, 1 << 16)));
    private final RtasTable rtas = new RtasTable(memory);
    private final CpuState cpu0 = new CpuState(0);
    private final CpuState cpu1 = new CpuState(1);

    XicsGuestInterfaceTest() {
        XicsHcalls.register(hcalls, xics, () -> 1234);
        XicsRtas.register(rtas, xics);
        xics.reset();
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private long hcall(CpuState cpu, long number, long... args) {
        cpu.gpr[3] = number;
        for (int i = 0; i < args.length; i++) {
            cpu.gpr[4 + i] = args[i];
        }
        hcalls.hypercall(cpu);
        return cpu.gpr[3];
    }

    private int rtas(RtasService service, int nret, int... args) {
        memory.store32(ARGS, service.token(), ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 4, args.length, ByteOrder.BIG_ENDIAN);
        memory.store32(ARGS + 8, nret, ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < args.length; i++) {
            memory.store32(ARGS + 12 + 4L * i, args[i], ByteOrder.BIG_ENDIAN);
        }
        cpu0.gpr[4] = ARGS;
        assertThat(rtas.hcall(cpu0)).isEqualTo(HcallStatus.H_SUCCESS);
        return ret(args.length, 0);
    }

    private int ret(int nargs, int i) {
        return memory.load32(ARGS + 12 + 4L * (nargs + i), ByteOrder.BIG_ENDIAN);
    }

    @Test
    void smpIpiRoundTripAsLinuxDoesIt() {
        // Both CPUs open their CPPR (xics_setup_cpu), CPU 0 kicks CPU 1, CPU 1 takes and ends it.
        assertThat(hcall(cpu0, XicsHcalls.H_CPPR, 0xff)).isZero();
        assertThat(hcall(cpu1, XicsHcalls.H_CPPR, 0xff)).isZero();
        assertThat(hcall(cpu0, XicsHcalls.H_IPI, 1, 0)).isZero();
        assertThat(lines.raised(1)).isTrue();
        assertThat(hcall(cpu1, XicsHcalls.H_IPOLL, 1)).isZero();
        assertThat(cpu1.gpr[4]).isEqualTo(0xff00_0002L);
        assertThat(cpu1.gpr[5]).isZero();
        assertThat(hcall(cpu1, XicsHcalls.H_XIRR_X)).isZero();
        assertThat(cpu1.gpr[4]).isEqualTo(0xff00_0002L);
        assertThat(cpu1.gpr[5]).as("the timebase at acceptance").isEqualTo(1234);
        assertThat(hcall(cpu1, XicsHcalls.H_IPI, 1, 0xff)).isZero();
        assertThat(hcall(cpu1, XicsHcalls.H_EOI, 0xff00_0002L)).isZero();
        assertThat(lines.raised(1)).isFalse();
        assertThat(hcall(cpu1, XicsHcalls.H_XIRR)).isZero();
        assertThat(cpu1.gpr[4]).as("nothing pending").isEqualTo(0xff00_0000L);
    }

    @Test
    void badServersAreParameterErrors() {
        assertThat(hcall(cpu0, XicsHcalls.H_IPI, 2, 0)).isEqualTo(HcallStatus.H_PARAMETER.code());
        assertThat(hcall(cpu0, XicsHcalls.H_IPI, -1, 0)).isEqualTo(HcallStatus.H_PARAMETER.code());
        assertThat(hcall(cpu0, XicsHcalls.H_IPOLL, 1L << 40)).isEqualTo(HcallStatus.H_PARAMETER.code());
        assertThat(hcall(new CpuState(7), XicsHcalls.H_XIRR)).isEqualTo(HcallStatus.H_HARDWARE.code());
    }

    @Test
    void vtyInputRaisesItsInterruptOnceUnmaskedAsIcsRtasDoes() {
        SpaprVty vty = new SpaprVty(SpaprVty.DEFAULT_REG, (b, o, l) -> { });
        vty.connectInterrupt(xics.claim(0x1100, false));
        hcall(cpu0, XicsHcalls.H_CPPR, 0xff);
        // ics_rtas_unmask_irq: ibm,set-xive(irq, server, DEFAULT_PRIORITY 5) then ibm,int-on.
        assertThat(rtas(RtasService.SET_XIVE, 1, 0x1100, 0, 5)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(rtas(RtasService.INT_ON, 1, 0x1100)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(rtas(RtasService.GET_XIVE, 3, 0x1100)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(ret(1, 1)).isZero();
        assertThat(ret(1, 2)).isEqualTo(5);
        vty.feed(new byte[] {'a'});
        assertThat(lines.raised(0)).isTrue();
        hcall(cpu0, XicsHcalls.H_XIRR);
        assertThat(cpu0.gpr[4]).isEqualTo(0xff00_1100L);
        hcall(cpu0, XicsHcalls.H_EOI, 0xff00_1100L);
        vty.feed(new byte[] {'b'});
        assertThat(lines.raised(0)).as("input already waiting: no new edge").isFalse();
        vty.read(new byte[16]);
        vty.feed(new byte[] {'c'});
        assertThat(lines.raised(0)).isTrue();
        assertThat(rtas(RtasService.INT_OFF, 1, 0x1100)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(rtas(RtasService.GET_XIVE, 3, 0x1100)).isEqualTo(RtasStatus.SUCCESS);
        assertThat(ret(1, 2)).isEqualTo(0xff);
    }

    @Test
    void rtasChecksItsArguments() {
        assertThat(rtas(RtasService.SET_XIVE, 1, 0x1100, 0)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.SET_XIVE, 1, 0xfff, 0, 5)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.SET_XIVE, 1, 0x1100, 2, 5)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.SET_XIVE, 1, 0x1100, 0, 0x100)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.GET_XIVE, 3, 0x2000)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.GET_XIVE, 2, 0x1100)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.INT_ON, 1, -1)).isEqualTo(RtasStatus.PARAMETER_ERROR);
        assertThat(rtas(RtasService.INT_OFF, 1)).isEqualTo(RtasStatus.PARAMETER_ERROR);
    }
}
