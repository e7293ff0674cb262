package dev.pvm.engine.loader;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed ELF64 executable for 64-bit PowerPC (System V ABI; ELF-64 Object File Format 1.5): its byte order,
 * entry point and loadable segments. The file's bytes stay in the segment it was parsed from (a mapped file or
 * a byte array); nothing is copied until the image is loaded.
 */
public final class ElfImage {

    /** e_machine of 64-bit PowerPC. */
    public static final int EM_PPC64 = 21;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;
    private static final int PT_LOAD = 1;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;

    /**
     * One PT_LOAD program header.
     *
     * @param virtualAddress  p_vaddr
     * @param physicalAddress p_paddr: where the loader puts it in guest physical memory
     * @param fileOffset      p_offset
     * @param fileSize        p_filesz
     * @param memorySize      p_memsz (the rest beyond fileSize is zeroed)
     * @param flags           p_flags (PF_X 1, PF_W 2, PF_R 4)
     */
    public record Segment(long virtualAddress, long physicalAddress, long fileOffset, long fileSize, long memorySize,
            int flags) {
    }

    private final MemorySegment file;
    private final ByteOrder order;
    private final int type;
    private final long entry;
    private final List<Segment> segments;

    private ElfImage(MemorySegment file, ByteOrder order, int type, long entry, List<Segment> segments) {
        this.file = file;
        this.order = order;
        this.type = type;
        this.entry = entry;
        this.segments = List.copyOf(segments);
    }

    /**
     * Parses and checks the ELF header and program headers.
     *
     * @throws ElfFormatException for anything that is not a loadable ppc64 executable
     */
    public static ElfImage parse(MemorySegment file) {
        long size = file.byteSize();
        if (size < EHDR_SIZE) {
            throw new ElfFormatException("file of " + size + " bytes is too short for an ELF header");
        }
        if (file.get(ValueLayout.JAVA_BYTE, 0) != 0x7f || file.get(ValueLayout.JAVA_BYTE, 1) != 'E'
                || file.get(ValueLayout.JAVA_BYTE, 2) != 'L' || file.get(ValueLayout.JAVA_BYTE, 3) != 'F') {
            throw new ElfFormatException("not an ELF file (bad magic)");
        }
        if (file.get(ValueLayout.JAVA_BYTE, 4) != 2) {
            throw new ElfFormatException("not a 64-bit ELF file (EI_CLASS " + file.get(ValueLayout.JAVA_BYTE, 4) + ")");
        }
        ByteOrder order = switch (file.get(ValueLayout.JAVA_BYTE, 5)) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new ElfFormatException("unknown ELF byte order (EI_DATA "
                    + file.get(ValueLayout.JAVA_BYTE, 5) + ")");
        };
        Reader r = new Reader(file, order);
        int type = r.u16(16);
        int machine = r.u16(18);
        if (machine != EM_PPC64) {
            throw new ElfFormatException("ELF machine " + machine + " is not 64-bit PowerPC (" + EM_PPC64 + ")");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfFormatException("ELF type " + type + " is not an executable (2) or position-independent "
                    + "executable (3)");
        }
        long entry = r.u64(24);
        long phoff = r.u64(32);
        int phentsize = r.u16(54);
        int phnum = r.u16(56);
        if (phnum == 0) {
            throw new ElfFormatException("ELF file has no program headers");
        }
        if (phentsize < PHDR_SIZE) {
            throw new ElfFormatException("program header size " + phentsize + " is smaller than " + PHDR_SIZE);
        }
        if (phoff < 0 || phoff + (long) phnum * phentsize > size) {
            throw new ElfFormatException("program headers lie outside the file");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * phentsize;
            if (r.u32(ph) != PT_LOAD) {
                continue;
            }
            int flags = (int) r.u32(ph + 4);
            long offset = r.u64(ph + 8);
            long vaddr = r.u64(ph + 16);
            long paddr = r.u64(ph + 24);
            long filesz = r.u64(ph + 32);
            long memsz = r.u64(ph + 40);
            if (filesz < 0 || memsz < filesz) {
                throw new ElfFormatException(String.format("segment %d: memory size 0x%x is below file size 0x%x",
                        i, memsz, filesz));
            }
            if (offset < 0 || offset + filesz > size || offset + filesz < offset) {
                throw new ElfFormatException(String.format("segment %d: file bytes [0x%x, +0x%x) lie outside the "
                        + "file of 0x%x bytes", i, offset, filesz, size));
            }
            if (paddr < 0 || paddr + memsz < paddr) {
                throw new ElfFormatException(String.format("segment %d: physical range [0x%x, +0x%x) wraps", i,
                        paddr, memsz));
            }
            segments.add(new Segment(vaddr, paddr, offset, filesz, memsz, flags));
        }
        if (segments.isEmpty()) {
            throw new ElfFormatException("ELF file has no loadable (PT_LOAD) segment");
        }
        for (int i = 0; i < segments.size(); i++) {
            for (int j = i + 1; j < segments.size(); j++) {
                Segment a = segments.get(i);
                Segment b = segments.get(j);
                if (a.physicalAddress() < b.physicalAddress() + b.memorySize()
                        && b.physicalAddress() < a.physicalAddress() + a.memorySize()) {
                    throw new ElfFormatException(String.format("segments at physical 0x%x and 0x%x overlap",
                            a.physicalAddress(), b.physicalAddress()));
                }
            }
        }
        return new ElfImage(file, order, type, entry, segments);
    }

    /** The byte order of the file, which is the byte order the program expects to run in. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** e_entry, a virtual address. */
    public long entry() {
        return entry;
    }

    public boolean positionIndependent() {
        return type == ET_DYN;
    }

    /** The PT_LOAD segments in file order. */
    public List<Segment> segments() {
        return segments;
    }

    /** The file bytes of a segment. */
    MemorySegment contents(Segment s) {
        return file.asSlice(s.fileOffset(), s.fileSize());
    }

    /**
     * The physical address of the entry point: through the segment whose virtual range holds it (a vmlinux
     * links at 0xc000000000000000 and loads at physical 0).
     *
     * @throws ElfFormatException when no segment holds the entry point
     */
    public long physicalEntry() {
        for (Segment s : segments) {
            long off = entry - s.virtualAddress();
            if (off >= 0 && off < s.memorySize()) {
                return s.physicalAddress() + off;
            }
        }
        throw new ElfFormatException(String.format("entry point 0x%x lies in no loadable segment", entry));
    }

    /** Lowest physical address the image occupies. */
    public long physicalStart() {
        return segments.stream().mapToLong(Segment::physicalAddress).min().orElseThrow();
    }

    /** One past the highest physical address the image occupies. */
    public long physicalEnd() {
        return segments.stream().mapToLong(s -> s.physicalAddress() + s.memorySize()).max().orElseThrow();
    }

    private record Reader(MemorySegment file, ByteOrder order) {
        int u16(long off) {
            return file.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), off) & 0xffff;
        }

        long u32(long off) {
            return file.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), off) & 0xFFFF_FFFFL;
        }

        long u64(long off) {
            return file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order), off);
        }
    }
}
