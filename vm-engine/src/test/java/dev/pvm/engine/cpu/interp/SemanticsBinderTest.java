package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Hypervisor;
import dev.pvm.engine.cpu.TimeBase;
import dev.pvm.engine.cpu.asm.InsnAssembler;
import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.RamRegion;
import java.util.List;
import org.junit.jupiter.api.Test;

class SemanticsBinderTest {

    private static final IsaTable TABLE = IsaTable.ppc64();
    private final StorageAccess storage =
            new StorageAccess(new AddressSpace(List.of(RamRegion.allocate(0, 1 << 16))));
    private final Hypervisor hypervisor = cpu -> { };
    private final TimeBase timeBase = () -> 0;

    @Test
    void everyRowBindsLazilyToTheSemanticsEagerBindingMakes() {
        Semantics[] eager = SemanticsBinder.bindAll(TABLE, storage, hypervisor, timeBase, CpuModel.POWER9, true);
        Semantics[] lazy = SemanticsBinder.bindAll(TABLE, storage, hypervisor, timeBase, CpuModel.POWER9, false);
        for (InsnPattern row : TABLE.patterns()) {
            Semantics waiting = lazy[row.id()];
            assertThat(SemanticsBinder.resolved(eager[row.id()])).as(row.mnemonic()).isSameAs(eager[row.id()]);
            Semantics made = SemanticsBinder.resolved(waiting);
            assertThat(made).as(row.mnemonic()).isNotSameAs(waiting);
            // The same factory's code made both: the lambda classes of a call site are one class.
            assertThat(made.getClass()).as(row.mnemonic()).isEqualTo(eager[row.id()].getClass());
            // Made once, and now in the dispatch array in the waiting one's place.
            assertThat(lazy[row.id()]).as(row.mnemonic()).isSameAs(made);
            assertThat(SemanticsBinder.resolved(waiting)).as(row.mnemonic()).isSameAs(made);
        }
    }

    @Test
    void aRowsSemanticsAreMadeWhenItFirstExecutesAndTakeItsPlace() {
        Semantics[] lazy = SemanticsBinder.bindAll(TABLE, storage, hypervisor, timeBase, CpuModel.POWER9, false);
        int addi = TABLE.pattern("ADDI").id();
        int subf = TABLE.pattern("SUBF").id();
        Semantics waitingAddi = lazy[addi];
        Semantics waitingSubf = lazy[subf];
        CpuState cpu = new CpuState(0);
        cpu.gpr[4] = 5;
        lazy[addi].execute(cpu, new InsnAssembler(TABLE).assemble("addi 3,4,7", 0));
        assertThat(cpu.gpr[3]).isEqualTo(12);
        assertThat(lazy[addi]).isNotSameAs(waitingAddi).isSameAs(SemanticsBinder.resolved(waitingAddi));
        assertThat(lazy[subf]).isSameAs(waitingSubf);
    }
}
