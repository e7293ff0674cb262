package dev.pvm.engine.devices.pci;

import dev.pvm.proto.common.v1.DeviceKind;
import dev.pvm.proto.common.v1.HostPciDevice;
import dev.pvm.vfio.simulated.SimulatedConfigRegion;
import dev.pvm.vfio.simulated.SimulatedNvLink2Region;
import dev.pvm.vfio.simulated.SimulatedPciFunction;
import dev.pvm.vfio.simulated.SimulatedVfioHost;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Simulated hosts for the engine's real-host path: the request's host devices bound to vfio-pci in their IOMMU
 * groups, each function's config space the engine's model of it (what vfio-pci would show of the real part), the
 * NVLink2 regions backed by sparse files.
 */
public final class SimulatedVfioHosts {

    private SimulatedVfioHosts() {
    }

    /**
     * @param backing where the regions' files go ({@code <address>.gpu-ram}, {@code <address>.atsd})
     * @param locks   the group lock directory (shared by every kernel simulating this host)
     */
    public static SimulatedVfioHost of(List<HostPciDevice> devices, Path backing, Path locks) throws IOException {
        List<SimulatedPciFunction> functions = new ArrayList<>();
        for (HostPciDevice d : devices) {
            Optional<SimulatedNvLink2Region> region = Optional.empty();
            if (d.getKind() == DeviceKind.DEVICE_KIND_NVLINK2_GPU) {
                Path file = sparse(backing.resolve(d.getAddress() + ".gpu-ram"), d.getNvlink2().getGpuRamSize());
                region = Optional.of(SimulatedNvLink2Region.gpuRam(d.getNvlink2().getGpuRamSize(),
                        d.getNvlink2().getTgt(), file));
            } else if (d.getKind() == DeviceKind.DEVICE_KIND_NVLINK2_BRIDGE) {
                long size = d.getNvlink2().getAtsdSize();
                Path file = backing.resolve(d.getAddress() + ".atsd");
                if (size > 0) {
                    sparse(file, size);
                }
                region = Optional.of(SimulatedNvLink2Region.atsd(size, d.getNvlink2().getTgt(),
                        d.getNvlink2().getLinkSpeed(), file));
            }
            functions.add(new SimulatedPciFunction(d.getAddress(), d.getIommuGroup(), "vfio-pci", model(d),
                    region));
        }
        return new SimulatedVfioHost(functions, Optional.of(locks));
    }

    /** The engine's config model of the device, seen byte by byte as the VFIO config region. */
    static Supplier<SimulatedConfigRegion> model(HostPciDevice d) {
        return () -> new EmulatedConfigRegion(switch (d.getKind()) {
            case DEVICE_KIND_NVLINK2_GPU -> SimulatedConfigSpaces.teslaV100(d.getDeviceId(), false);
            case DEVICE_KIND_NVLINK2_BRIDGE -> SimulatedConfigSpaces.npu2Bridge(d.getNvlink2().getLinkIndex(), false);
            default -> SimulatedConfigSpaces.plain(d.getVendorId(), d.getDeviceId(), d.getRevision(),
                    d.getClassCode(), d.getHeaderType(), false);
        });
    }

    private static Path sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    /** An {@link EmulatedConfigSpace} as a simulated config region: its per-byte masks serve any access width. */
    record EmulatedConfigRegion(EmulatedConfigSpace space) implements SimulatedConfigRegion {

        @Override
        public int size() {
            return space.size();
        }

        @Override
        public void read(int offset, byte[] into) {
            for (int i = 0; i < into.length; i++) {
                into[i] = (byte) space.read(offset + i, 1);
            }
        }

        @Override
        public void write(int offset, byte[] from) {
            for (int i = 0; i < from.length; i++) {
                space.write(offset + i, 1, from[i]);
            }
        }
    }
}
