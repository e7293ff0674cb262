package dev.pvm.engine.cpu.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.cpu.interp.Semantics;
import dev.pvm.engine.cpu.runtime.CodePageMap;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit table: lookups by address and mode, growth, and invalidation by page. */
class TranslationCacheTest {

    private static final long LE_MODE = Msr.SF | Msr.LE;
    private static final long BE_MODE = Msr.SF;

    /** A unit that is never run, of {@code length} consecutive instructions: only its address ranges matter. */
    private static CompiledUnit unit(long pc, long mode, int length) {
        return unit(pc, mode, length, new long[] {0, 4L * length});
    }

    /** A unit covering {@code segments} (pairs of offsets from {@code pc}: start, end). */
    private static CompiledUnit unit(long pc, long mode, int length, long[] segments) {
        return new CompiledUnit(new Semantics[0],
                new CompiledUnit.UnitInfo(pc, mode, length, segments, new long[0])) {
            @Override
            public int run(CpuState cpu, long remaining) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void findsUnitsByAddressAndModeAcrossGrowth() {
        TranslationCache cache = new TranslationCache();
        List<Long> invalidated = new ArrayList<>();
        CodePageMap pages = new CodePageMap(1 << 24, invalidated::add);
        List<CompiledUnit> units = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            CompiledUnit u = unit(0x10_0000 + 16L * i, i % 2 == 0 ? LE_MODE : BE_MODE, 4);
            units.add(u);
            cache.put(u, u.startPc(), pages);
        }
        assertThat(cache.size()).isEqualTo(5000);
        for (int i = 0; i < 5000; i++) {
            long mode = i % 2 == 0 ? LE_MODE : BE_MODE;
            assertThat(cache.get(0x10_0000 + 16L * i, mode, 0x10_0000 + 16L * i)).isSameAs(units.get(i));
            assertThat(cache.get(0x10_0000 + 16L * i, mode ^ Msr.LE, 0x10_0000 + 16L * i)).isNull();
        }
    }

    @Test
    void oneEffectiveAddressMayHoldUnitsOfSeveralRealPages() {
        TranslationCache cache = new TranslationCache();
        CodePageMap pages = new CodePageMap(1 << 20, cache::invalidatePage);
        CompiledUnit processA = unit(0x1000, LE_MODE | Msr.IR, 4);
        CompiledUnit processB = unit(0x1000, LE_MODE | Msr.IR, 4);
        cache.put(processA, 0x7000, pages);
        cache.put(processB, 0x9000, pages);
        assertThat(cache.get(0x1000, LE_MODE | Msr.IR, 0x7000)).isSameAs(processA);
        assertThat(cache.get(0x1000, LE_MODE | Msr.IR, 0x9000)).isSameAs(processB);
        assertThat(cache.get(0x1000, LE_MODE | Msr.IR, 0x8000)).isNull();

        pages.written(0x9000, 4);
        assertThat(processB.valid()).isFalse();
        assertThat(cache.get(0x1000, LE_MODE | Msr.IR, 0x7000)).isSameAs(processA);
    }

    @Test
    void aWriteToACodePageInvalidatesExactlyTheUnitsOnIt() {
        TranslationCache cache = new TranslationCache();
        CodePageMap pages = new CodePageMap(1 << 20, cache::invalidatePage);
        CompiledUnit first = unit(0x1000, LE_MODE, 8);
        CompiledUnit spanning = unit(0x1ff8, LE_MODE, 4); // 0x1ff8..0x2007: pages 1 and 2
        CompiledUnit other = unit(0x5000, LE_MODE, 8);
        cache.put(first, first.startPc(), pages);
        cache.put(spanning, spanning.startPc(), pages);
        cache.put(other, other.startPc(), pages);

        pages.written(0x2004, 4);

        assertThat(spanning.valid()).isFalse();
        assertThat(cache.get(0x1ff8, LE_MODE, 0x1ff8)).isNull();
        assertThat(first.valid()).isTrue();
        assertThat(cache.get(0x1000, LE_MODE, 0x1000)).isSameAs(first);
        assertThat(cache.get(0x5000, LE_MODE, 0x5000)).isSameAs(other);
        assertThat(pages.holdsCode(2)).isFalse();
        assertThat(cache.invalidations()).isEqualTo(1);

        pages.written(0x3000, 8); // no code there
        assertThat(cache.invalidations()).isEqualTo(1);
    }

    @Test
    void aRegionIsInvalidatedByAWriteToAnyOfItsRangesAndOnlyThere() {
        TranslationCache cache = new TranslationCache();
        CodePageMap pages = new CodePageMap(1 << 20, cache::invalidatePage);
        // Entered at 0x3010; its loop head lies before the entry (0x2ff0..0x3000, on page 2), a run on page 4.
        CompiledUnit region = unit(0x3010, LE_MODE, 12, new long[] {0, 0x10, -0x20, -0x10, 0x1000, 0x1010});
        cache.put(region, region.startPc(), pages);
        assertThat(pages.holdsCode(2)).isTrue();
        assertThat(pages.holdsCode(3)).isTrue();
        assertThat(pages.holdsCode(4)).isTrue();

        pages.written(0x3800, 8); // page 3, but between the ranges
        assertThat(region.valid()).isTrue();
        pages.written(0x2ff4, 4);
        assertThat(region.valid()).isFalse();
        assertThat(cache.get(0x3010, LE_MODE, 0x3010)).isNull();
    }

    @Test
    void unitsLeftAfterInvalidationsAreStillFoundWhereProbeRunsOverlapped() {
        TranslationCache cache = new TranslationCache();
        CodePageMap pages = new CodePageMap(1 << 24, cache::invalidatePage);
        long mode = LE_MODE | Msr.IR;
        List<CompiledUnit> units = new ArrayList<>();
        // 40 processes' units at the same two effective addresses (one probe run each), and 1500 others around them.
        for (int p = 0; p < 40; p++) {
            for (long ea : new long[] {0x1000, 0x1004}) {
                CompiledUnit u = unit(ea, mode, 1);
                cache.put(u, 0x10_0000 + 0x1000L * p + (ea & 0xfff), pages);
                units.add(u);
            }
        }
        for (int i = 0; i < 1500; i++) {
            CompiledUnit u = unit(0x40_0000 + 12L * i, mode, 1);
            cache.put(u, 0x80_0000 + 12L * i, pages);
            units.add(u);
        }
        java.util.Random random = new java.util.Random(6);
        for (int n = 0; n < 60; n++) {
            long page = random.nextBoolean() ? 0x10_0000 + 0x1000L * random.nextInt(40)
                    : 0x80_0000 + 0x1000L * random.nextInt(5);
            pages.written(page, 4);
        }
        int left = 0;
        for (CompiledUnit u : units) {
            CompiledUnit found = cache.get(u.startPc(), mode, u.realStart());
            if (u.valid()) {
                assertThat(found).isSameAs(u);
                left++;
            } else {
                assertThat(found).isNull();
            }
        }
        assertThat(cache.size()).isEqualTo(left);
        assertThat(left).isBetween(1, units.size() - 1);
    }
}
