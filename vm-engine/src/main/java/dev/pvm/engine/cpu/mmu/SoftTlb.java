package dev.pvm.engine.cpu.mmu;

import dev.pvm.engine.cpu.Msr;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One vCPU's software TLB: a direct-mapped cache from a 4 KiB effective page to its real page, with separate
 * tags for read, write and execute so that an access checks its permission with one compare (QEMU's softmmu
 * TLB). Larger pages are cached 4 KiB at a time.
 *
 * <p>There are two halves, for MSR[PR] = 0 and 1, because a page's permissions differ between supervisor and
 * problem state: switching between kernel and user needs no flush. The index therefore includes MSR[PR]
 * ({@link #index}). A tag holds the page-aligned effective address, or {@link #INVALID}, which no aligned
 * address equals.
 *
 * <p>An entry whose permissions depend on the AMR/IAMR (virtual page class keys, radix KUAP) remembers which of
 * their bits, so that a write to those registers drops just the entries of the keys it changed: with the hash
 * MMU's KUAP, Linux toggles the user pages' key around every user access, while its own pages have another.
 */
public final class SoftTlb {

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_OFFSET = (1L << PAGE_SHIFT) - 1;
    /** log2 of the entries per privilege half. */
    public static final int INDEX_BITS = 9;
    public static final int HALF = 1 << INDEX_BITS;
    public static final long INVALID = -1L;
    /** The source of an entry that did not come from an HPTE (radix, tests). */
    public static final long NO_HPTE = -1L;

    /** One key's two bits in the AMR (store, load) and IAMR (fetch, the low one), at the key's position. */
    public static final long KEY_FIELD = 3L;

    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXECUTE = 4;

    /** Tags by index: the effective page that may be read, written, executed through the entry. */
    public final long[] readTag = new long[2 * HALF];
    public final long[] writeTag = new long[2 * HALF];
    public final long[] execTag = new long[2 * HALF];
    /** Real address of the entry's 4 KiB page. */
    public final long[] realPage = new long[2 * HALF];
    /** The AMR/IAMR bits each entry's permissions came from (the same positions in both registers), or 0. */
    private final long[] keyBits = new long[2 * HALF];
    private int keyDependentCount;
    /**
     * The HPTE index each entry was filled from (hash MMU), or {@link #NO_HPTE}. An entry is derived from exactly
     * one HPTE, so when H_REMOVE, H_PROTECT or H_BULK_REMOVE changes an HPTE, dropping the entries filled from it
     * removes every stale translation and keeps the rest ({@link #flushHpte}).
     */
    private final long[] hpte = new long[2 * HALF];
    /**
     * The indexes filled since the last whole flush, each once ({@code listed}); an entry invalidated since is
     * dropped from the list by the next scan. The scans (a PID, segment or quadrant flush, a full flush) walk
     * only these: a radix kernel flushes its whole PID after every code patch and vunmap, tens of thousands of
     * times a boot, while a few dozen entries are live.
     */
    private final int[] live = new int[2 * HALF];
    private final boolean[] listed = new boolean[2 * HALF];
    private int liveCount;
    /** Statistics: translations cached (each one a miss that walked the page tables), and whole-TLB flushes. */
    private long fills;
    private long fullFlushes;
    private long hpteFlushes;
    private long hpteEntriesDropped;

    public SoftTlb() {
        Arrays.fill(readTag, INVALID);
        Arrays.fill(writeTag, INVALID);
        Arrays.fill(execTag, INVALID);
        Arrays.fill(hpte, NO_HPTE);
    }

    /** The entry for {@code ea} under {@code msr}: the page bits of the address, plus MSR[PR] as the top bit. */
    public static int index(long ea, long msr) {
        return (int) ((ea >>> PAGE_SHIFT) & (HALF - 1)) | (int) ((msr & Msr.PR) >>> (14 - INDEX_BITS));
    }

    /** The tag array an access of {@code kind} checks. */
    public long[] tags(AccessKind kind) {
        return switch (kind) {
            case LOAD -> readTag;
            case STORE -> writeTag;
            case FETCH -> execTag;
        };
    }

    /** The real address of {@code ea} if the TLB permits a {@code kind} access, else -1. */
    public long lookup(long ea, long msr, AccessKind kind) {
        int i = index(ea, msr);
        // Not tags(kind): the dispatcher checks every relocated unit entry here, and C1 compiles an enum switch
        // to a call and a lookup in the switch map.
        long[] tags = kind == AccessKind.FETCH ? execTag : kind == AccessKind.LOAD ? readTag : writeTag;
        return tags[i] == (ea & ~PAGE_OFFSET) ? realPage[i] | (ea & PAGE_OFFSET) : -1;
    }

    /**
     * Caches a translation of the 4 KiB page holding {@code ea}.
     *
     * @param permissions  {@link #READ} | {@link #WRITE} | {@link #EXECUTE} as the translation allows
     * @param keyBits     the AMR/IAMR bits the permissions were narrowed by (a key's two AMR bits), or 0
     */
    public void fill(long ea, long msr, long real, int permissions, long keyBits) {
        fill(ea, msr, real, permissions, keyBits, NO_HPTE);
    }

    /**
     * Caches a translation of the 4 KiB page holding {@code ea} that HPTE {@code hpteIndex} gave (hash MMU).
     *
     * @see #fill(long, long, long, int, long)
     */
    public void fill(long ea, long msr, long real, int permissions, long keyBits, long hpteIndex) {
        int i = index(ea, msr);
        hpte[i] = hpteIndex;
        long page = ea & ~PAGE_OFFSET;
        fills++;
        // One real page per entry: tags left from another page would now point at this one's frame.
        if (readTag[i] != page || writeTag[i] != page || execTag[i] != page) {
            readTag[i] = INVALID;
            writeTag[i] = INVALID;
            execTag[i] = INVALID;
        }
        if ((permissions & READ) != 0) {
            readTag[i] = page;
        }
        if ((permissions & WRITE) != 0) {
            writeTag[i] = page;
        }
        if ((permissions & EXECUTE) != 0) {
            execTag[i] = page;
        }
        realPage[i] = real & ~PAGE_OFFSET;
        if (!listed[i]) {
            listed[i] = true;
            live[liveCount++] = i;
        }
        if ((this.keyBits[i] == 0) != (keyBits == 0)) {
            keyDependentCount += keyBits == 0 ? -1 : 1;
        }
        this.keyBits[i] = keyBits;
    }

    private void invalidate(int i) {
        readTag[i] = INVALID;
        writeTag[i] = INVALID;
        execTag[i] = INVALID;
        if (keyBits[i] != 0) {
            keyBits[i] = 0;
            keyDependentCount--;
        }
    }

    public void flushAll() {
        fullFlushes++;
        for (int k = 0; k < liveCount; k++) {
            int i = live[k];
            invalidate(i);
            listed[i] = false;
        }
        liveCount = 0;
    }

    /** Entries that may be valid (statistics and tests): those filled since the last whole flush. */
    int listedEntries() {
        return liveCount;
    }

    /**
     * Invalidates the listed entries {@code drop} selects and takes them, and those already invalid, off the
     * list.
     */
    private void flushListed(IntPredicate drop) {
        for (int k = 0; k < liveCount;) {
            int i = live[k];
            if (tagOf(i) == INVALID || drop.test(i)) {
                invalidate(i);
                listed[i] = false;
                live[k] = live[--liveCount];
            } else {
                k++;
            }
        }
    }

    /** Translations cached since creation (statistics). */
    public long fills() {
        return fills;
    }

    /** Whole-TLB flushes since creation (statistics). */
    public long fullFlushes() {
        return fullFlushes;
    }

    /** {@link #flushHpte} calls since creation (statistics). */
    public long hpteFlushes() {
        return hpteFlushes;
    }

    /** Entries those calls found filled from their HPTE and dropped (statistics). */
    public long hpteEntriesDropped() {
        return hpteEntriesDropped;
    }

    /**
     * Drops the entries filled from HPTE {@code hpteIndex} (every 4 KiB piece of its page, in both halves): the
     * invalidation the hypervisor performs when H_REMOVE, H_PROTECT or H_BULK_REMOVE changes that HPTE (PAPR: the
     * old translation is gone from every processor when the call returns). QEMU flushes the whole TLB instead
     * (ppc_hash64_tlb_flush_hpte), since its TLB cannot find the entries of one virtual page; ours records each
     * entry's HPTE. A Linux hash boot issues some 35,000 H_REMOVE, and a whole flush refills every live entry.
     */
    public void flushHpte(long hpteIndex) {
        hpteFlushes++;
        // Entries invalidated otherwise stay listed until a scan that looks at every entry's tag: this one looks
        // only at the HPTE, since it runs on every H_REMOVE with most of the 1,024 entries listed.
        for (int k = 0; k < liveCount;) {
            int i = live[k];
            if (hpte[i] != hpteIndex) {
                k++;
                continue;
            }
            if (tagOf(i) != INVALID) {
                hpteEntriesDropped++;
            }
            invalidate(i);
            hpte[i] = NO_HPTE;
            listed[i] = false;
            live[k] = live[--liveCount];
        }
    }

    /** Drops every entry for an effective address in {@code [start, start + size)}, in both halves. */
    public void flushRange(long start, long size) {
        if (size >>> PAGE_SHIFT < HALF) {
            for (long page = start & ~PAGE_OFFSET; page - start < size; page += 1L << PAGE_SHIFT) {
                int i = (int) ((page >>> PAGE_SHIFT) & (HALF - 1));
                flushIfTagged(i, page);
                flushIfTagged(i + HALF, page);
            }
        } else {
            flushListed(i -> Long.compareUnsigned(tagOf(i) - start, size) < 0);
        }
    }

    private void flushIfTagged(int i, long page) {
        if (readTag[i] == page || writeTag[i] == page || execTag[i] == page) {
            invalidate(i);
        }
    }

    /**
     * Drops every entry whose effective page {@code p} has {@code (p & mask) == value}: a segment or a radix
     * quadrant.
     */
    public void flushMatching(long value, long mask) {
        flushListed(i -> (tagOf(i) & mask) == (value & mask));
    }

    private long tagOf(int i) {
        return readTag[i] != INVALID ? readTag[i] : writeTag[i] != INVALID ? writeTag[i] : execTag[i];
    }

    /** The AMR or IAMR bits {@code changed} changed: drops the entries whose permissions came from them. */
    public void flushKeyDependent(long changed) {
        if (keyDependentCount == 0 || changed == 0) {
            return;
        }
        flushListed(i -> (keyBits[i] & changed) != 0);
    }
}
