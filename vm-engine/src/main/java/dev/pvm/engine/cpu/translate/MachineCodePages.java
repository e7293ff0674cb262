package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.VcpuRequests;
import dev.pvm.engine.cpu.interp.StorageAccess;
import dev.pvm.engine.cpu.runtime.CodePageMap;
import dev.pvm.engine.cpu.runtime.CodePages;
import dev.pvm.engine.cpu.runtime.TranslatorRuntime;
import dev.pvm.engine.cpu.runtime.UnitMemory;
import dev.pvm.engine.cpu.runtime.WriteJournal;
import dev.pvm.engine.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Which RAM words hold translated code, for a machine whose vCPUs each have their own translation cache: one
 * {@link CodePageMap} (the union of every vCPU's code, and the store trap every vCPU's translated stores test),
 * so that a store by any vCPU to code any vCPU translated takes the slow path and invalidates that page's units
 * in every vCPU's cache. POWER9's instruction cache snoops stores (Linux's flush_icache_range is only a dummy
 * icbi there), so the store itself is what makes other processors' later fetches see the new code; each vCPU
 * drops its units on its own thread, through its {@link VcpuRequests}, at its next unit boundary (the executing
 * side's context synchronization, Book II 1.9).
 *
 * <p>The map is changed under its own lock (translation marks words, stores clear pages); translated stores read
 * the trap bytes without it. A store racing with another vCPU's first translation of the very words it writes may
 * leave that vCPU with the old code: the architecture gives such a store no ordering against the other
 * processor's fetch until the writer synchronizes, and no guest writes code another processor is fetching for
 * the first time at that instant.
 */
public final class MachineCodePages {

    private final MemorySegment ram;
    private final CodePageMap map;
    private final List<View> views = new CopyOnWriteArrayList<>();

    /** @param memory guest memory; its RAM block at real address 0 is what translated code reaches inline */
    public MachineCodePages(GuestMemory memory) {
        this.ram = RealModeTranslatorMemory.lowRam(memory);
        this.map = new CodePageMap(ram.byteSize(), this::invalidateEverywhere);
    }

    /** The translator memory of the vCPU whose requests are {@code requests}: its view of the shared map. */
    public TranslatorMemory forVcpu(VcpuRequests requests) {
        return new TranslatorMemory() {
            private View view;

            @Override
            public CodePages codePages(LongConsumer invalidator) {
                view = new View(requests, invalidator);
                views.add(view);
                return view;
            }

            @Override
            public UnitMemory unitMemory(WriteJournal journal, StorageAccess storage) {
                if (view == null) {
                    throw new IllegalStateException("codePages first: the runtime reads their trap bytes");
                }
                return new TranslatorRuntime(ram, map, journal, storage);
            }
        };
    }

    /** Every vCPU's translations were dropped (machine reset): no word holds code any more. */
    public void forgetAll() {
        synchronized (map) {
            map.clear();
        }
    }

    /** Page {@code page} was written over translated words: every vCPU drops its units there, on its thread. */
    private void invalidateEverywhere(long page) {
        for (View v : views) {
            v.requests.post(() -> v.invalidator.accept(page));
        }
    }

    /** One vCPU's view: marks and stores go to the shared map. */
    private final class View implements CodePages {

        final VcpuRequests requests;
        final LongConsumer invalidator;

        View(VcpuRequests requests, LongConsumer invalidator) {
            this.requests = requests;
            this.invalidator = invalidator;
        }

        @Override
        public void markCode(long start, long end) {
            synchronized (map) {
                map.markCode(start, end);
            }
        }

        @Override
        public boolean overlapsCode(long address, long length) {
            synchronized (map) {
                return map.overlapsCode(address, length);
            }
        }

        @Override
        public void written(long address, long length) {
            synchronized (map) {
                map.written(address, length);
            }
        }

        /** This vCPU's cache was flushed; other vCPUs' code stays marked until a store or {@link #forgetAll}. */
        @Override
        public void clear() {
        }

        @Override
        public void trapAll(boolean on) {
            synchronized (map) {
                map.trapAll(on);
            }
        }
    }
}
