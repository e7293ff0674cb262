package dev.pvm.engine.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds minimal ppc64 ELF executables (one PT_LOAD segment) for loader and machine tests. */
public final class TestElf {

    private TestElf() {
    }

    /**
     * @param order        the file's (and program's) byte order
     * @param entry        e_entry (virtual)
     * @param vaddr        the segment's virtual address
     * @param paddr        the segment's physical address
     * @param contents     the segment's file bytes
     * @param memorySize   p_memsz (at least contents.length; the rest is .bss)
     */
    public static byte[] executable(ByteOrder order, long entry, long vaddr, long paddr, byte[] contents,
            long memorySize) {
        int ehsize = 64;
        int phsize = 56;
        int offset = ehsize + phsize;
        ByteBuffer b = ByteBuffer.allocate(offset + contents.length).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1, 0});
        b.put(new byte[8]);
        b.putShort((short) 2);       // e_type ET_EXEC
        b.putShort((short) 21);      // e_machine EM_PPC64
        b.putInt(1);                 // e_version
        b.putLong(entry);
        b.putLong(ehsize);           // e_phoff
        b.putLong(0);                // e_shoff
        b.putInt(order == ByteOrder.LITTLE_ENDIAN ? 2 : 1); // e_flags: ELF ABI version
        b.putShort((short) ehsize);
        b.putShort((short) phsize);
        b.putShort((short) 1);       // e_phnum
        b.putShort((short) 64);      // e_shentsize
        b.putShort((short) 0);       // e_shnum
        b.putShort((short) 0);       // e_shstrndx
        b.putInt(1);                 // p_type PT_LOAD
        b.putInt(7);                 // p_flags RWX
        b.putLong(offset);
        b.putLong(vaddr);
        b.putLong(paddr);
        b.putLong(contents.length);
        b.putLong(memorySize);
        b.putLong(0x10000);          // p_align
        b.put(contents);
        return b.array();
    }

    /** A big-endian kernel file, loaded at physical 0, that spins forever ({@code b .}). */
    public static java.nio.file.Path spinningKernel(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("spin");
        java.nio.file.Files.write(file, executable(ByteOrder.BIG_ENDIAN, 0, 0, 0,
                code(ByteOrder.BIG_ENDIAN, 0x48000000), 4));
        return file;
    }

    /** Instruction words as a segment's bytes in the given order. */
    public static byte[] code(ByteOrder order, int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(order);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }
}
