package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.runtime.CodePageMap;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.TranslatorRuntime;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import dev.pvm.engine.memory.AddressSpace;
import dev.pvm.engine.memory.GuestMemory;
import dev.pvm.engine.memory.RamRegion;
import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;

/** The pseries machine's memory for translated code: the RAM block at real address 0 is accessed inline. */
final class RealModeTranslatorMemory implements TranslatorMemory {

    private final MemorySegment ram;
    private CodePageMap pages;

    RealModeTranslatorMemory(GuestMemory memory) {
        this.ram = lowRam(memory);
    }

    /** The RAM block at real address 0, which translated code accesses inline; empty when there is none. */
    static MemorySegment lowRam(GuestMemory memory) {
        if (memory instanceof AddressSpace space) {
            for (RamRegion r : space.regions()) {
                if (r.base() == 0) {
                    return r.hostSegment();
                }
            }
        }
        return MemorySegment.NULL;
    }

    @Override
    public CodePages codePages(LongConsumer invalidator) {
        pages = new CodePageMap(ram.byteSize(), invalidator);
        return pages;
    }

    @Override
    public UnitMemory unitMemory(WriteJournal journal, StorageAccess storage) {
        if (pages == null) {
            throw new IllegalStateException("codePages first: the runtime reads their trap bytes");
        }
        return new TranslatorRuntime(ram, pages, journal, storage);
    }
}
