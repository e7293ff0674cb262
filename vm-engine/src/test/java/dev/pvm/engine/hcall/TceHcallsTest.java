package dev.pvm.engine.hcall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.devices.pci.AddressWindow;
import dev.pvm.engine.devices.pci.TceTable;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** H_PUT_TCE, H_GET_TCE, H_PUT_TCE_INDIRECT and H_STUFF_TCE over two PHB windows, and DMA through the table. */
class TceHcallsTest {

    private static final long RAM = 1 << 20;
    private static final int LIOBN0 = 0x80000000;
    private static final int LIOBN1 = 0x80000100;
    private static final long WINDOW = 0x40000000L;
    private static final long SUCCESS = HcallStatus.H_SUCCESS.code();
    private static final long PARAMETER = HcallStatus.H_PARAMETER.code();
    private static final long RW = TceTable.READ | TceTable.WRITE;

    private final AddressSpace memory = new AddressSpace(List.of(RamRegion.allocate(0, RAM)));
    private final HcallTable table = new HcallTable();
    private final CpuState cpu = new CpuState(0);
    private final TceTable phb0 = new TceTable(LIOBN0, new AddressWindow(0, WINDOW), 12);
    private final TceTable phb1 = new TceTable(LIOBN1, new AddressWindow(0, WINDOW), 12);

    TceHcallsTest() {
        TceHcalls.register(table, memory, List.of(phb0, phb1));
    }

    @AfterEach
    void close() {
        memory.close();
    }

    private long call(long number, long... args) {
        return GuestHypercall.call(table, cpu, number, args);
    }

    private long liobn(int liobn) {
        return Integer.toUnsignedLong(liobn);
    }

    private long get(int liobn, long ioba) {
        assertThat(call(TceHcalls.H_GET_TCE, liobn(liobn), ioba)).isEqualTo(SUCCESS);
        return cpu.gpr[4];
    }

    @Test
    void putThenGetPerLiobnAndPage() {
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), 0x3000, 0x5000 | RW)).isEqualTo(SUCCESS);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN1), WINDOW - 0x1000, 0x7000 | TceTable.READ))
                .isEqualTo(SUCCESS);
        assertThat(get(LIOBN0, 0x3000)).isEqualTo(0x5000 | RW);
        assertThat(get(LIOBN0, 0x3ff8)).as("the offset in the page is ignored").isEqualTo(0x5000 | RW);
        assertThat(get(LIOBN1, 0x3000)).as("the other PHB's table").isZero();
        assertThat(get(LIOBN1, WINDOW - 1)).isEqualTo(0x7000 | TceTable.READ);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), 0x4000, 0)).as("revoke").isEqualTo(SUCCESS);
        assertThat(get(LIOBN0, 0x4000)).isZero();
    }

    @Test
    void badLiobnIobaOrTceBitsAreParameterErrors() {
        assertThat(call(TceHcalls.H_PUT_TCE, 0x80000001L, 0, RW)).as("no such LIOBN").isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0) | 1L << 32, 0, RW)).as("LIOBNs are 32-bit")
                .isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), WINDOW, RW)).as("past the window").isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), -1, RW)).isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), 0, 0x5000 | 4)).as("reserved TCE bit")
                .isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), 0, 0x5800 | RW)).isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_GET_TCE, liobn(LIOBN0), WINDOW)).isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_GET_TCE, 0, 0)).isEqualTo(PARAMETER);
        assertThat(get(LIOBN0, 0)).as("nothing was written").isZero();
    }

    @Test
    void indirectPutTakesUpToAPageOfBigEndianTces() {
        long list = 0x8000;
        for (int i = 0; i < 512; i++) {
            memory.store64(list + 8L * i, 0x10000 + 0x1000L * i | RW, ByteOrder.BIG_ENDIAN);
        }
        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), 0x100000, list, 512)).isEqualTo(SUCCESS);
        assertThat(get(LIOBN1, 0x100000)).isEqualTo(0x10000 | RW);
        assertThat(get(LIOBN1, 0x100000 + 511 * 0x1000)).isEqualTo(0x10000 + 511 * 0x1000 | RW);
        assertThat(get(LIOBN1, 0x100000 + 512 * 0x1000)).isZero();

        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), 0, list, 513)).as("over 512")
                .isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), 0, list + 8, 1)).as("unaligned list")
                .isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), 0, RAM, 1)).as("list outside RAM")
                .isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), WINDOW - 0x1000, list, 2))
                .as("runs past the window").isEqualTo(PARAMETER);
        assertThat(get(LIOBN1, WINDOW - 0x1000)).as("nothing written").isZero();

        memory.store64(list + 8 * 3, 0x9000 | 0x100, ByteOrder.BIG_ENDIAN);
        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), 0, list, 4)).as("bad fourth TCE")
                .isEqualTo(PARAMETER);
        assertThat(get(LIOBN1, 0)).as("checked before anything changes").isZero();
        assertThat(call(TceHcalls.H_PUT_TCE_INDIRECT, liobn(LIOBN1), 0, list, 0)).isEqualTo(SUCCESS);
    }

    @Test
    void stuffFillsARunAndChecksItFits() {
        assertThat(call(TceHcalls.H_STUFF_TCE, liobn(LIOBN0), 0x2000, 0x6000 | TceTable.WRITE, 3))
                .isEqualTo(SUCCESS);
        assertThat(new long[] {get(LIOBN0, 0x1000), get(LIOBN0, 0x2000), get(LIOBN0, 0x4000), get(LIOBN0, 0x5000)})
                .containsExactly(0, 0x6000 | TceTable.WRITE, 0x6000 | TceTable.WRITE, 0);
        assertThat(call(TceHcalls.H_STUFF_TCE, liobn(LIOBN0), 0, 0, phb0.size())).as("the whole window")
                .isEqualTo(SUCCESS);
        assertThat(get(LIOBN0, 0x2000)).isZero();
        assertThat(call(TceHcalls.H_STUFF_TCE, liobn(LIOBN0), 0x1000, 0, phb0.size())).isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_STUFF_TCE, liobn(LIOBN0), 0, 0, -1)).isEqualTo(PARAMETER);
        assertThat(call(TceHcalls.H_STUFF_TCE, liobn(LIOBN0), 0, 8, 1)).isEqualTo(PARAMETER);
    }

    @Test
    void translateFollowsTheTceAndItsPermissions() {
        call(TceHcalls.H_PUT_TCE, liobn(LIOBN0), 0x3000, 0x5000 | TceTable.READ);
        assertThat(phb0.translate(0x3abc, false)).isEqualTo(OptionalLong.of(0x5abc));
        assertThat(phb0.translate(0x3abc, true)).as("read-only page").isEmpty();
        assertThat(phb0.translate(0x4000, false)).as("unmapped").isEmpty();
        assertThat(phb0.translate(WINDOW, false)).as("outside the window").isEmpty();
        phb0.clear();
        assertThat(phb0.translate(0x3abc, false)).isEmpty();
    }

    @Test
    void advertisesBothFunctionSetsInQemusOrder() {
        assertThat(table.functionSets()).containsExactly("hcall-tce", "hcall-multi-tce");
        assertThatThrownBy(() -> TceHcalls.register(new HcallTable(), memory, List.of(phb0, phb0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x80000000");
    }

    @Test
    void randomArgumentsAlwaysGetAPapStatus() {
        long[] edges = {0, liobn(LIOBN0), liobn(LIOBN1), liobn(LIOBN0) | 1L << 32, 0x1000, WINDOW - 0x1000, WINDOW,
                RAM - 0x1000, RAM, -1, 1L << 63, 512, 513, phb0.size(), 3, 7};
        Random random = new Random(12);
        long[] numbers = {TceHcalls.H_GET_TCE, TceHcalls.H_PUT_TCE, TceHcalls.H_PUT_TCE_INDIRECT,
                TceHcalls.H_STUFF_TCE};
        for (int round = 0; round < 4000; round++) {
            long[] args = new long[4];
            for (int i = 0; i < args.length; i++) {
                args[i] = random.nextBoolean() ? random.nextLong() : edges[random.nextInt(edges.length)];
            }
            long status = call(numbers[random.nextInt(numbers.length)], args);
            assertThat(status).as("args %s", Arrays.toString(args)).isIn(SUCCESS, PARAMETER);
        }
    }
}
