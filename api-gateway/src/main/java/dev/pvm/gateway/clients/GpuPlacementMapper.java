package dev.pvm.gateway.clients;

import dev.pvm.gateway.vm.GpuPlacement;
import dev.pvm.proto.placement.v1.GpuSlot;
import dev.pvm.proto.placement.v1.GuestLayout;
import dev.pvm.proto.placement.v1.PhbLayout;
import java.util.ArrayList;
import java.util.List;

/** The per-GPU facts the VM view shows, taken from the layout placement-service computed for the run. */
public final class GpuPlacementMapper {

    private GpuPlacementMapper() {}

    public static List<GpuPlacement> gpus(GuestLayout layout) {
        List<GpuPlacement> gpus = new ArrayList<>();
        for (PhbLayout phb : layout.getPhbsList()) {
            for (GpuSlot slot : phb.getGpuSlotsList()) {
                if (slot.getGpuAddress().isEmpty()) {
                    continue; // a bridge-only slot has no GPU to show
                }
                gpus.add(new GpuPlacement(
                        slot.getGpuAddress(),
                        phb.getIndex(),
                        slot.getSlot(),
                        hex(slot.getRam().getBase()),
                        hex(slot.getRam().getSize()),
                        slot.getNumaId(),
                        slot.getLinksList().stream()
                                .map(l -> new GpuPlacement.Link(l.getLink(), l.getBridgeAddress(),
                                        hex(l.getAtsdGpa()), l.getLinkSpeed()))
                                .toList()));
            }
        }
        return gpus;
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
