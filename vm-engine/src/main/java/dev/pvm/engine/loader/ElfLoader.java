package dev.pvm.engine.loader;

import dev.pvm.engine.memory.GuestMemory;

/**
 * Copies an ELF image's loadable segments to their physical addresses in guest memory and zeroes the rest of
 * each segment (its .bss), as a firmware loader would for a vmlinux.
 */
public final class ElfLoader {

    private ElfLoader() {
    }

    /**
     * Loads every PT_LOAD segment.
     *
     * @throws ElfFormatException when a segment does not fit in guest memory (with the range)
     */
    public static void load(ElfImage image, GuestMemory memory) {
        for (ElfImage.Segment s : image.segments()) {
            if (!memory.isBacked(s.physicalAddress(), s.memorySize())) {
                throw new ElfFormatException(String.format(
                        "segment at physical [0x%x, 0x%x) does not fit in guest RAM", s.physicalAddress(),
                        s.physicalAddress() + s.memorySize()));
            }
            memory.write(s.physicalAddress(), image.contents(s));
            long bss = s.memorySize() - s.fileSize();
            if (bss > 0) {
                memory.fill(s.physicalAddress() + s.fileSize(), bss, (byte) 0);
            }
        }
    }
}
