package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.runtime.CodePageMap;
import dev.pvm.engine.cpu.runtime.CodePages;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Which words of a {@link UserAddressSpace} hold translated code. A 1 TiB space cannot have an array per
 * page, so the word bitmaps are kept only for the (few) {@link CodePageMap#PAGE_SHIFT}-sized pages that hold
 * code, in a map, and the store trap is the space's own page byte ({@link UserAddressSpace#CODE} on each
 * 64 KiB page holding any), which translated stores read anyway for the write permission.
 *
 * <p>It is also the space's {@link UserAddressSpace.CodeWatcher}: every change the space makes to code pages
 * (stores, the kernel's writes into guest buffers, mapping, unmapping, mprotect dropping PROT_EXEC) comes
 * here first, and the units translated from the words it touches are invalidated.
 */
final class UserCodePages implements CodePages, UserAddressSpace.CodeWatcher {

    private static final int SHIFT = CodePageMap.PAGE_SHIFT;
    private static final long SIZE = 1L << SHIFT;
    private static final int WORDS = (int) (SIZE / 4);
    /** Small pages per {@link UserAddressSpace#PAGE_SIZE} page. */
    private static final int PER_PAGE = 1 << (UserAddressSpace.PAGE_SHIFT - SHIFT);

    private final UserAddressSpace space;
    private final LongConsumer invalidator;
    /** Small page number to one bit per 4-byte word of translated code. */
    private final Map<Long, long[]> code = new HashMap<>();

    /**
     * @param invalidator called with a small page number whose units must be dropped
     */
    UserCodePages(UserAddressSpace space, LongConsumer invalidator) {
        this.space = space;
        this.invalidator = invalidator;
        space.watchCode(this);
    }

    @Override
    public void markCode(long start, long end) {
        for (long a = start & ~3L; a < end; a += 4) {
            long page = a >>> SHIFT;
            long[] bits = code.get(page);
            if (bits == null) {
                bits = new long[WORDS / 64];
                code.put(page, bits);
                space.markCode(a, true);
            }
            int word = (int) ((a >>> 2) & (WORDS - 1));
            bits[word >>> 6] |= 1L << word;
        }
    }

    @Override
    public boolean overlapsCode(long address, long length) {
        if (code.isEmpty() || length <= 0) {
            return false;
        }
        long end = address + length;
        for (long p = address >>> SHIFT; p <= (end - 1) >>> SHIFT; p++) {
            if (space.holdsCode(p << SHIFT) && overlapsPage(p, address, end)) {
                return true;
            }
        }
        return false;
    }

    /** Whether small page {@code p}'s translated words overlap {@code [address, end)}. */
    private boolean overlapsPage(long p, long address, long end) {
        long[] bits = code.get(p);
        if (bits == null) {
            return false;
        }
        long from = Math.max(address, p << SHIFT) & ~3L;
        long to = Math.min(end, (p + 1) << SHIFT);
        for (long a = from; a < to; a += 4) {
            int word = (int) ((a >>> 2) & (WORDS - 1));
            if ((bits[word >>> 6] & (1L << word)) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void written(long address, long length) {
        if (code.isEmpty() || length <= 0) {
            return;
        }
        long end = address + length;
        long first = address >>> SHIFT;
        long last = (end - 1) >>> SHIFT;
        if (last - first > code.size()) {
            // A large range (munmap, a big read): visit the code pages rather than every page of the range.
            for (long p : code.keySet().stream().mapToLong(Long::longValue).sorted().toArray()) {
                if (p >= first && p <= last) {
                    invalidateIfOverlapping(p, address, end);
                }
            }
        } else {
            for (long p = first; p <= last; p++) {
                // The space's page byte first: most stores that reach here are nowhere near code.
                if (space.holdsCode(p << SHIFT)) {
                    invalidateIfOverlapping(p, address, end);
                }
            }
        }
    }

    private void invalidateIfOverlapping(long p, long address, long end) {
        if (!overlapsPage(p, address, end)) {
            return;
        }
        code.remove(p);
        long big = p / PER_PAGE * PER_PAGE;
        boolean stillCode = false;
        for (long q = big; q < big + PER_PAGE && !stillCode; q++) {
            stillCode = code.containsKey(q);
        }
        if (!stillCode) {
            space.markCode(p << SHIFT, false);
        }
        invalidator.accept(p);
    }

    @Override
    public void changing(long address, long length) {
        written(address, length);
    }

    @Override
    public void clear() {
        for (long p : code.keySet()) {
            space.markCode(p << SHIFT, false);
        }
        code.clear();
    }

    @Override
    public void trapAll(boolean on) {
        space.trapAllStores(on);
    }

    /** Small pages holding translated code (tests). */
    int pagesWithCode() {
        return code.size();
    }
}
