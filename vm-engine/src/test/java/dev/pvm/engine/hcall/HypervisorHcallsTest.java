package dev.pvm.engine.hcall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** H_REGISTER_VPA, H_PAGE_INIT, H_LOGICAL_CI_LOAD/STORE, H_RANDOM and H_GET_CPU_CHARACTERISTICS, as QEMU answers. */
class HypervisorHcallsTest {

    private static final long RAM = 1 << 20;
    private static final long SUCCESS = HcallStatus.H_SUCCESS.code();
    private static final long PARAMETER = HcallStatus.H_PARAMETER.code();

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, RAM)));
    private final HcallTable table = new HcallTable();
    private final CpuState cpu = new CpuState(0);
    private final AtomicInteger codeChanges = new AtomicInteger();
    private final VpaHcalls vpa;

    HypervisorHcallsTest() {
        vpa = VpaHcalls.register(table, memory, 2, 128);
        PageInitHcall.register(table, memory, codeChanges::incrementAndGet);
        LogicalCiHcalls.register(table, memory);
        RandomHcall.register(table, new SecureRandom());
        CpuCharacteristicsHcall.register(table);
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private long call(long number, long... args) {
        return GuestHypercall.call(table, cpu, number, args);
    }

    private long registerVpa(long flags, long cpuIndex, long address) {
        return call(VpaHcalls.H_REGISTER_VPA, flags, cpuIndex, address);
    }

    @Test
    void vpaRegistrationChecksSizeAlignmentAndPageAndMarksTheSharedProcessor() {
        memory.store16(0x2004, 640, ByteOrder.BIG_ENDIAN);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 1, 0x2000)).isEqualTo(SUCCESS);
        assertThat(memory.load8(0x2009) & VpaHcalls.VPA_SHARED_PROC).isNotZero();
        assertThat(vpa.registration(1).vpa()).isEqualTo(0x2000);
        assertThat(vpa.registration(0).vpa()).isZero();

        memory.store16(0x3004, 639, ByteOrder.BIG_ENDIAN);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 0, 0x3000)).as("too small").isEqualTo(PARAMETER);
        memory.store16(0x3e04, 640, ByteOrder.BIG_ENDIAN);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 0, 0x3e00)).as("crosses a page").isEqualTo(PARAMETER);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 0, 0x3040)).as("not cache-line aligned")
                .isEqualTo(PARAMETER);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 0, 0)).isEqualTo(HcallStatus.H_HARDWARE.code());
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 2, 0x2000)).as("no vCPU 2").isEqualTo(PARAMETER);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, -1, 0x2000)).isEqualTo(PARAMETER);
        assertThat(registerVpa(0x1234, 0, 0x2000)).as("unknown subfunction").isEqualTo(PARAMETER);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 0, RAM + 0x1000)).as("not RAM").isEqualTo(PARAMETER);
    }

    @Test
    void slbShadowAndDtlNeedAVpaAndBlockItsDeregistration() {
        memory.store32(0x5004, 0x10, ByteOrder.BIG_ENDIAN);
        memory.store32(0x6004, 48, ByteOrder.BIG_ENDIAN);
        assertThat(registerVpa(VpaHcalls.REGISTER_SLB_SHADOW, 0, 0x5000)).isEqualTo(
                HcallStatus.H_RESOURCE.code());
        assertThat(registerVpa(VpaHcalls.REGISTER_DTL, 0, 0x6000)).isEqualTo(HcallStatus.H_RESOURCE.code());
        memory.store16(0x2004, 0x400, ByteOrder.BIG_ENDIAN);
        assertThat(registerVpa(VpaHcalls.REGISTER_VPA, 0, 0x2000)).isEqualTo(SUCCESS);
        assertThat(registerVpa(VpaHcalls.REGISTER_SLB_SHADOW, 0, 0x5000)).isEqualTo(SUCCESS);
        assertThat(registerVpa(VpaHcalls.REGISTER_DTL, 0, 0x6000)).isEqualTo(SUCCESS);
        assertThat(vpa.registration(0)).isEqualTo(new VpaHcalls.Registration(0x2000, 0x5000, 0x10, 0x6000, 48));
        assertThat(registerVpa(VpaHcalls.DEREGISTER_VPA, 0, 0)).isEqualTo(HcallStatus.H_RESOURCE.code());
        assertThat(registerVpa(VpaHcalls.DEREGISTER_SLB_SHADOW, 0, 0)).isEqualTo(SUCCESS);
        assertThat(registerVpa(VpaHcalls.DEREGISTER_DTL, 0, 0)).isEqualTo(SUCCESS);
        assertThat(registerVpa(VpaHcalls.DEREGISTER_VPA, 0, 0)).isEqualTo(SUCCESS);
        assertThat(vpa.registration(0).vpa()).isZero();

        memory.store32(0x6004, 47, ByteOrder.BIG_ENDIAN);
        registerVpa(VpaHcalls.REGISTER_VPA, 0, 0x2000);
        assertThat(registerVpa(VpaHcalls.REGISTER_DTL, 0, 0x6000)).as("DTL too small").isEqualTo(PARAMETER);
        memory.store32(0x5ffc, 0x10, ByteOrder.BIG_ENDIAN);
        assertThat(registerVpa(VpaHcalls.REGISTER_SLB_SHADOW, 0, 0x5ff8)).as("crosses a page")
                .isEqualTo(PARAMETER);
        vpa.reset();
        assertThat(vpa.registration(0).vpa()).isZero();
    }

    @Test
    void pageInitZeroesAndCopiesWholeAlignedRamPages() {
        memory.fill(0x4000, 0x1000, (byte) 0x5a);
        memory.fill(0x8000, 0x1000, (byte) 0x11);
        assertThat(call(PageInitHcall.H_PAGE_INIT, PageInitHcall.COPY_PAGE, 0x8000, 0x4000)).isEqualTo(SUCCESS);
        assertThat(memory.load64(0x8ff8, ByteOrder.BIG_ENDIAN)).isEqualTo(0x5a5a5a5a5a5a5a5aL);
        assertThat(codeChanges).hasValue(0);
        assertThat(call(PageInitHcall.H_PAGE_INIT, PageInitHcall.ZERO_PAGE | PageInitHcall.ICACHE_INVALIDATE,
                0x4000, 0)).isEqualTo(SUCCESS);
        assertThat(memory.load64(0x4800, ByteOrder.BIG_ENDIAN)).isZero();
        assertThat(codeChanges).hasValue(1);

        assertThat(call(PageInitHcall.H_PAGE_INIT, PageInitHcall.ZERO_PAGE, 0x4008, 0)).isEqualTo(PARAMETER);
        assertThat(call(PageInitHcall.H_PAGE_INIT, PageInitHcall.ZERO_PAGE, RAM, 0)).isEqualTo(PARAMETER);
        assertThat(call(PageInitHcall.H_PAGE_INIT, PageInitHcall.COPY_PAGE, 0x4000, RAM)).isEqualTo(PARAMETER);
        assertThat(call(PageInitHcall.H_PAGE_INIT, 1, 0x4000, 0)).as("unknown flag").isEqualTo(PARAMETER);
        assertThat(memory.load8(0x8000)).isEqualTo(0x5a);
    }

    @Test
    void logicalCiAccessesAreBigEndianInFourSizes() {
        assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_STORE, 8, 0x100, 0x0102030405060708L)).isEqualTo(SUCCESS);
        assertThat(memory.load8(0x100)).isEqualTo(1);
        long[] expected = {0, 0x01, 0x0102, 0, 0x01020304, 0, 0, 0, 0x0102030405060708L};
        for (int size : new int[] {1, 2, 4, 8}) {
            assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_LOAD, size, 0x100)).isEqualTo(SUCCESS);
            assertThat(cpu.gpr[4]).as("size %d", size).isEqualTo(expected[size]);
        }
        assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_STORE, 2, 0x200, 0xffff_abcdL)).isEqualTo(SUCCESS);
        assertThat(memory.load16(0x200, ByteOrder.BIG_ENDIAN)).isEqualTo(0xabcd);
        assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_LOAD, 4, 0xfc)).isEqualTo(SUCCESS);
        assertThat(cpu.gpr[4]).as("zero-extended").isEqualTo(0x0000_0000L);
        assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_LOAD, 3, 0x100)).isEqualTo(PARAMETER);
        assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_LOAD, 4, RAM)).isEqualTo(PARAMETER);
        assertThat(call(LogicalCiHcalls.H_LOGICAL_CI_STORE, 4, RAM - 2, 0)).isEqualTo(PARAMETER);
    }

    @Test
    void randomGivesFreshBitsEachCall() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            assertThat(call(RandomHcall.H_RANDOM)).isEqualTo(SUCCESS);
            seen.add(cpu.gpr[4]);
        }
        assertThat(seen).hasSizeGreaterThan(14);
    }

    @Test
    void cpuCharacteristicsAreQemusTcgDefaults() {
        assertThat(call(CpuCharacteristicsHcall.H_GET_CPU_CHARACTERISTICS)).isEqualTo(SUCCESS);
        // QEMU 7.2, pseries default caps (cfpc/sbbc/ibs workaround, ccf-assist on): hvcall.h bit numbers.
        assertThat(cpu.gpr[4]).isEqualTo(0xbc40_0000_0000_0000L);
        assertThat(cpu.gpr[5]).isEqualTo(0xe400_0000_0000_0000L);
    }

    @Test
    void unadvertisedCallsStayOutOfHypertas() {
        assertThat(table.functionSets()).containsExactly("hcall-splpar", "hcall-copy", "hcall-debug");
    }
}
