package dev.pvm.engine.devices.pci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A vPHB ({@code spapr-pci-host-bridge}): the layout's windows and the functions placed on its root bus, each
 * with a config space. Devices behind guest PCI-to-PCI bridges are not modelled (the mapper refuses them).
 *
 * <p>A reset puts every simulated function's config space back to its power-on state (BARs unassigned,
 * command register clear), as a PCI reset does, and revokes every mapping of the DMA window. A function on a real
 * host reaches its config space through its VFIO device fd, which the machine's {@link VfioPassthrough} holds.
 *
 * <p>The PHB has QEMU's default 32-bit DMA window: the layout's {@code dma32} window of 4 KiB TCEs behind its
 * first LIOBN (spapr_phb_realize's tcet for SPAPR_PCI_LIOBN(index, 0)). The second LIOBN, QEMU's dynamic DMA
 * window, stays without a table: the engine offers no DDW RTAS calls to create it.
 */
public final class SpaprPhb {

    /** QEMU's SPAPR_TCE_PAGE_SHIFT: the default window's TCEs map 4 KiB pages. */
    public static final int DMA_PAGE_SHIFT = 12;

    private final PhbConfig config;
    private final Map<Integer, PciFunction> functions = new LinkedHashMap<>();
    private final VfioPassthrough vfio;
    private final TceTable dmaWindow;

    /**
     * A PHB whose functions are all simulated.
     *
     * @throws IllegalArgumentException when the layout gives the PHB no LIOBN or an unusable DMA window
     */
    public SpaprPhb(PhbConfig config) {
        this(config, VfioPassthrough.none());
    }

    /**
     * @param vfio holds the VFIO device fds of the functions that have a VFIO group
     * @throws IllegalArgumentException when the layout gives the PHB no LIOBN or an unusable DMA window, or a
     *                                  function with a VFIO group is not held by {@code vfio}
     */
    public SpaprPhb(PhbConfig config, VfioPassthrough vfio) {
        this.config = config;
        this.vfio = vfio;
        if (config.liobns().isEmpty()) {
            throw new IllegalArgumentException("PHB " + config.index() + " has no LIOBN for its DMA window");
        }
        this.dmaWindow = new TceTable(config.liobns().getFirst(), config.dma32(), DMA_PAGE_SHIFT);
        reset();
    }

    public PhbConfig config() {
        return config;
    }

    public long buid() {
        return config.buid();
    }

    /** The default DMA window's TCE table. */
    public TceTable dmaWindow() {
        return dmaWindow;
    }

    /**
     * Recreates the config spaces of simulated functions (VFIO functions keep theirs: the host resets them) and
     * clears the DMA window.
     */
    public void reset() {
        dmaWindow.clear();
        Set<Integer> sharedSlots = sharedSlots();
        for (PassthroughDevice d : config.devices()) {
            PciFunction existing = functions.get(d.devfn());
            if (existing != null && d.vfioGroup().isPresent()) {
                continue;
            }
            functions.put(d.devfn(), new PciFunction(d, configSpace(d, sharedSlots.contains(d.slot()))));
        }
    }

    /** Guest slots with more than one function: function 0 of such a slot reads the multifunction bit. */
    private Set<Integer> sharedSlots() {
        Set<Integer> seen = new HashSet<>();
        Set<Integer> shared = new HashSet<>();
        for (PassthroughDevice d : config.devices()) {
            if (!seen.add(d.slot())) {
                shared.add(d.slot());
            }
        }
        return shared;
    }

    private PciConfigSpace configSpace(PassthroughDevice d, boolean multifunction) {
        if (d.vfioGroup().isPresent()) {
            return vfio.configSpace(d.hostAddress(), multifunction);
        }
        return switch (d.model()) {
            case TESLA_V100 -> SimulatedConfigSpaces.teslaV100(d.deviceId(), multifunction);
            case NPU2_BRIDGE -> SimulatedConfigSpaces.npu2Bridge(d.npuLinkIndex(), multifunction);
            case PLAIN -> SimulatedConfigSpaces.plain(d.vendorId(), d.deviceId(), d.revision(), d.classCode(),
                    d.headerType(), multifunction);
        };
    }

    /** The function at {@code bus}/{@code devfn}, or null: only the root bus (0) holds functions. */
    public PciFunction function(int bus, int devfn) {
        return bus == 0 ? functions.get(devfn) : null;
    }

    /** The functions in the layout's walk order. */
    public List<PciFunction> functions() {
        return Collections.unmodifiableList(new ArrayList<>(functions.values()));
    }
}
