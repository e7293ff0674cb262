package dev.pvm.engine.machine.spapr;

import java.util.Optional;

/**
 * Where a reset put things in guest physical memory.
 *
 * @param entry       physical address the boot vCPU starts at
 * @param imageStart  lowest physical address of the loaded image
 * @param imageEnd    one past its highest
 * @param initrd      the initrd's {start, end}, when there is one
 * @param rtasBase    where the RTAS stub is (linux,rtas-base and linux,rtas-entry)
 * @param rtasSize    the stub's size (rtas-size)
 * @param fdtAddress  where the device tree is (r3 at entry)
 */
public record SpaprBootInfo(long entry, long imageStart, long imageEnd, Optional<long[]> initrd, long rtasBase,
        int rtasSize, long fdtAddress) {
}
