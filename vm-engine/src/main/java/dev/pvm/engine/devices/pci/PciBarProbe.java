package dev.pvm.engine.devices.pci;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a type-0 function's BARs the way system software does (PCI Local Bus 3.0 section 6.2.5.1): save the
 * register, write all ones, read back the size mask, restore. Works on any {@link PciConfigSpace}: the engine's
 * models and a VFIO config region (vfio-pci virtualizes BARs and answers the same protocol).
 */
public final class PciBarProbe {

    private static final int HEADER_TYPE = 0x0e;

    private PciBarProbe() {
    }

    /** The implemented BARs in index order; none for a header other than type 0. */
    public static List<PciBar> probe(PciConfigSpace config) {
        List<PciBar> bars = new ArrayList<>();
        if ((config.read(HEADER_TYPE, 1) & 0x7f) != 0) {
            return bars;
        }
        for (int i = 0; i < 6; i++) {
            int offset = PciBar.BAR0 + 4 * i;
            int original = config.read(offset, 4);
            config.write(offset, 4, -1);
            int mask = config.read(offset, 4);
            config.write(offset, 4, original);
            if ((mask & 0x1) != 0) {
                long size = (~(mask & ~0x3L) + 1) & 0xffff_ffffL;
                if ((mask & ~0x3) != 0) {
                    bars.add(new PciBar(i, size, PciBar.Space.IO, false));
                }
                continue;
            }
            boolean prefetchable = (mask & 0x8) != 0;
            if ((mask & 0x6) == 0x4 && i < 5) {
                int originalHigh = config.read(offset + 4, 4);
                config.write(offset + 4, 4, -1);
                long maskHigh = config.read(offset + 4, 4) & 0xffff_ffffL;
                config.write(offset + 4, 4, originalHigh);
                long full = (maskHigh << 32) | (mask & 0xffff_fff0L);
                if (full != 0) {
                    bars.add(new PciBar(i, -full, PciBar.Space.MEMORY64, prefetchable));
                }
                i++;
                continue;
            }
            long low = mask & 0xffff_fff0L;
            if (low != 0) {
                bars.add(new PciBar(i, (~low + 1) & 0xffff_ffffL, PciBar.Space.MEMORY32, prefetchable));
            }
        }
        return bars;
    }
}
