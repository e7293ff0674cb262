package dev.pvm.engine.cpu.mmu;

import java.util.ArrayList;
import java.util.List;

/**
 * The page sizes of the hash MMU (Book III 5.7.7.1 and 5.7.10.1): per segment base page size, its SLB encoding
 * (the L||LP bits of the SLB VSID doubleword) and the actual page sizes a segment of that base size may hold,
 * each with its HPTE encoding (the LP bits in the low RPN bits of HPTE doubleword 1, with HPTE[L] = 1).
 * These are the {@code ibm,segment-page-sizes} of the device tree.
 *
 * <p>{@link #power9()} is the processor's set (QEMU's ppc_hash64_opts_POWER7, used for POWER7 to POWER9, without
 * the 16 GiB pages no pseries guest gets); {@link #limitedTo} applies the pseries machine's filter.
 */
public final class HashPageSizes {

    /** HPTE doubleword 0 bit 61: a large page, whose size the LP bits of doubleword 1 encode. */
    static final long HPTE_LARGE = 0x4L;
    /** The RPN field of HPTE doubleword 1. */
    static final long HPTE_RPN = 0x0FFF_FFFF_FFFF_F000L;
    /** SLB VSID doubleword L||LP: the segment's base page size encoding. */
    public static final long SLB_LLP_MASK = 0x130L;

    /** One actual page size in a segment, and how an HPTE encodes it. */
    public record PageEncoding(int shift, int hpteEncoding) {
    }

    /** A base page size, its SLB encoding and the page sizes its segments may map. */
    public record SegmentPageSize(int baseShift, long slbEncoding, List<PageEncoding> pages) {
        public SegmentPageSize {
            pages = List.copyOf(pages);
        }
    }

    private final List<SegmentPageSize> segments;

    private HashPageSizes(List<SegmentPageSize> segments) {
        this.segments = List.copyOf(segments);
    }

    /** POWER9's base/actual page sizes: 4 KiB, 64 KiB and 16 MiB bases, with 64K and 16M pages in 4K segments. */
    public static HashPageSizes power9() {
        return new HashPageSizes(List.of(
                new SegmentPageSize(12, 0x000, List.of(new PageEncoding(12, 0), new PageEncoding(16, 0x7),
                        new PageEncoding(24, 0x38))),
                new SegmentPageSize(16, 0x110, List.of(new PageEncoding(16, 0x1), new PageEncoding(24, 0x8))),
                new SegmentPageSize(24, 0x100, List.of(new PageEncoding(24, 0x0)))));
    }

    /**
     * The sizes a pseries guest may use with pages of at most 2^{@code maxShift} bytes (the machine's
     * cap-hpt-max-page-size): as QEMU's spapr_pagesize_cb, a segment maps only pages of its own base size, except
     * 16 MiB pages in a 4 KiB segment. QEMU's default of 64 KiB leaves 4K/4K and 64K/64K, the
     * {@code ibm,segment-page-sizes} of its trees.
     */
    public HashPageSizes limitedTo(int maxShift) {
        List<SegmentPageSize> kept = new ArrayList<>();
        for (SegmentPageSize s : segments) {
            List<PageEncoding> pages = new ArrayList<>();
            for (PageEncoding p : s.pages()) {
                if (p.shift() <= maxShift && (p.shift() == s.baseShift() || p.shift() == 24)) {
                    pages.add(p);
                }
            }
            if (!pages.isEmpty()) {
                kept.add(new SegmentPageSize(s.baseShift(), s.slbEncoding(), pages));
            }
        }
        return new HashPageSizes(kept);
    }

    public List<SegmentPageSize> segments() {
        return segments;
    }

    /** The segment page size an SLB VSID doubleword selects, or null for an encoding the MMU does not have. */
    public SegmentPageSize forSlb(long vsid) {
        for (SegmentPageSize s : segments) {
            if ((vsid & SLB_LLP_MASK) == s.slbEncoding()) {
                return s;
            }
        }
        return null;
    }

    /**
     * The actual page size of an HPTE found in a segment of base size {@code segment}, or 0 when the HPTE does
     * not encode a page size that segment may hold (it is then ignored, as Book III 5.7.7.2 says it must not
     * match; QEMU hpte_page_shift).
     */
    public static int pageShift(SegmentPageSize segment, long pte0, long pte1) {
        if ((pte0 & HPTE_LARGE) == 0) {
            return segment.baseShift() == 12 ? 12 : 0;
        }
        // Indexed: every TLB fill of a large page comes here, and C1 allocates an iterator for a for-each loop.
        List<PageEncoding> pages = segment.pages();
        for (int i = 0, n = pages.size(); i < n; i++) {
            PageEncoding p = pages.get(i);
            if (p.shift() == 12) {
                continue;
            }
            long mask = ((1L << p.shift()) - 1) & HPTE_RPN;
            if ((pte1 & mask) == (long) p.hpteEncoding() << 12) {
                return p.shift();
            }
        }
        return 0;
    }

    /** The actual page size of an HPTE in any segment (H_ENTER's check, QEMU's _noslb), or 0 when invalid. */
    public int pageShift(long pte0, long pte1) {
        if ((pte0 & HPTE_LARGE) == 0) {
            return 12;
        }
        for (SegmentPageSize s : segments) {
            int shift = pageShift(s, pte0, pte1);
            if (shift != 0) {
                return shift;
            }
        }
        return 0;
    }
}
