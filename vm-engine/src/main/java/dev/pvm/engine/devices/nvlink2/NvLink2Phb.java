package dev.pvm.engine.devices.nvlink2;

import dev.pvm.engine.devices.pci.AddressWindow;
import java.util.List;
import java.util.Optional;

/**
 * The NVLink2 configuration of one vPHB (spec section 4.2), as placement computed it.
 *
 * @param ramWindow   the PHB's GPU RAM window
 * @param atsdWindow  the PHB's ATSD window
 * @param slots       GPU slots in slot order (bridge-only slots left out, spec 12.2)
 * @param mmioAtsd    the {@code ibm,mmio-atsd} entries (at most 8); empty when not advertised
 * @param atsdWarning why {@code ibm,mmio-atsd} is not written (spec 5.4), when it is not
 */
public record NvLink2Phb(AddressWindow ramWindow, AddressWindow atsdWindow, List<GpuSlot> slots,
        List<Long> mmioAtsd, Optional<String> atsdWarning) {

    /** Guest Linux reads at most 8 ATSD registers (NV_NMMU_ATSD_REGS; spec 2.1). */
    public static final int MAX_ATSD = 8;

    /**
     * @throws IllegalArgumentException for more than 8 ATSD entries or entries together with a warning
     */
    public NvLink2Phb {
        slots = List.copyOf(slots);
        mmioAtsd = List.copyOf(mmioAtsd);
        if (mmioAtsd.size() > MAX_ATSD) {
            throw new IllegalArgumentException(mmioAtsd.size() + " ibm,mmio-atsd entries; at most " + MAX_ATSD);
        }
        if (!mmioAtsd.isEmpty() && atsdWarning.isPresent()) {
            throw new IllegalArgumentException("ibm,mmio-atsd is either written or withheld with a warning");
        }
    }
}
