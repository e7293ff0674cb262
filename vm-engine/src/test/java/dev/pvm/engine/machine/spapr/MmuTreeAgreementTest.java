package dev.pvm.engine.machine.spapr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.mmu.HashPageSizes;
import dev.pvm.engine.loader.BuiltinGuest;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.machine.NumaProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device tree advertises exactly the hash page sizes and HPT the machine's MMU has. */
class MmuTreeAgreementTest {

    @Test
    void segmentPageSizesAreTheMmusTable() {
        List<Integer> cells = new ArrayList<>();
        for (HashPageSizes.SegmentPageSize s : HashPageSizes.power9().limitedTo(16).segments()) {
            cells.add(s.baseShift());
            cells.add((int) s.slbEncoding());
            cells.add(s.pages().size());
            for (HashPageSizes.PageEncoding p : s.pages()) {
                cells.add(p.shift());
                cells.add(p.hpteEncoding());
            }
        }
        assertThat(cells).containsExactly(java.util.Arrays.stream(Power9TreeProperties.SEGMENT_PAGE_SIZES).boxed()
                .toArray(Integer[]::new));
    }

    @Test
    void aHashMachineOwnsAnHptOfTheAdvertisedSize() {
        MachineConfig hello = SpaprMachineTest.hello(BuiltinGuest.HELLO);
        MachineConfig config = new MachineConfig("vm", "pseries", 1, hello.memory(), NumaProperties.NONE,
                hello.boot(), MmuMode.HASH);
        try (SpaprMachine m = SpaprMachine.create(config, (b, off, len) -> { }, Clock.systemUTC())) {
            assertThat(m.mmu().hashPageTable().shift()).isEqualTo(HptSizing.shiftForRam(256L << 20));
            assertThat(m.cpu(0).mmu.partition()).isSameAs(m.mmu());
        }
    }
}
