package dev.pvm.engine.devices.pci;

import dev.pvm.engine.rtas.RtasCall;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.rtas.RtasStatus;
import dev.pvm.engine.rtas.RtasTable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * RTAS config-space access (PAPR 7.3.4): {@code ibm,read-pci-config}/{@code ibm,write-pci-config} with a
 * 64-bit BUID, and the older {@code read-pci-config}/{@code write-pci-config} that address BUID 0. Status as
 * QEMU's {@code spapr_pci.c} answers: -1 (hardware error) for a wrong argument count, a size other than
 * 1/2/4, an unknown PHB or device, a misaligned or out-of-bounds register; 0 otherwise.
 *
 * <p>A failed read also returns all ones as its value, what a read of an absent device gives on a PCI bus and
 * what Linux's {@code rtas_read_config} substitutes anyway.
 */
public final class PciConfigRtas {

    private final List<SpaprPhb> phbs;

    private PciConfigRtas(List<SpaprPhb> phbs) {
        this.phbs = List.copyOf(phbs);
    }

    public static PciConfigRtas register(RtasTable table, List<SpaprPhb> phbs) {
        PciConfigRtas rtas = new PciConfigRtas(phbs);
        table.register(RtasService.IBM_READ_PCI_CONFIG, rtas::ibmRead);
        table.register(RtasService.IBM_WRITE_PCI_CONFIG, rtas::ibmWrite);
        table.register(RtasService.READ_PCI_CONFIG, rtas::read);
        table.register(RtasService.WRITE_PCI_CONFIG, rtas::write);
        return rtas;
    }

    /** ibm,read-pci-config(config_addr, buid_hi, buid_lo, size) -> status, value. */
    private void ibmRead(RtasCall call) {
        if (!call.hasShape(4, 2)) {
            call.status(RtasStatus.HARDWARE_ERROR);
            return;
        }
        finishRead(call, buid(call.arg(1), call.arg(2)), call.arg(0), call.arg(3));
    }

    /** read-pci-config(config_addr, size) -> status, value: BUID 0. */
    private void read(RtasCall call) {
        if (!call.hasShape(2, 2)) {
            call.status(RtasStatus.HARDWARE_ERROR);
            return;
        }
        finishRead(call, 0, call.arg(0), call.arg(1));
    }

    /** ibm,write-pci-config(config_addr, buid_hi, buid_lo, size, value) -> status. */
    private void ibmWrite(RtasCall call) {
        if (!call.hasShape(5, 1)) {
            call.status(RtasStatus.HARDWARE_ERROR);
            return;
        }
        finishWrite(call, buid(call.arg(1), call.arg(2)), call.arg(0), call.arg(3), call.arg(4));
    }

    /** write-pci-config(config_addr, size, value) -> status: BUID 0. */
    private void write(RtasCall call) {
        if (!call.hasShape(3, 1)) {
            call.status(RtasStatus.HARDWARE_ERROR);
            return;
        }
        finishWrite(call, 0, call.arg(0), call.arg(1), call.arg(2));
    }

    private static long buid(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xffff_ffffL);
    }

    private void finishRead(RtasCall call, long buid, int addressWord, int size) {
        PciConfigSpace config = target(buid, addressWord, size);
        if (config == null) {
            call.status(RtasStatus.HARDWARE_ERROR);
            call.ret(1, -1);
            return;
        }
        try {
            int value = config.read(PciConfigAddress.decode(addressWord).register(), size);
            call.status(RtasStatus.SUCCESS);
            call.ret(1, value);
        } catch (UncheckedIOException e) {
            call.status(RtasStatus.HARDWARE_ERROR);
            call.ret(1, -1);
        }
    }

    private void finishWrite(RtasCall call, long buid, int addressWord, int size, int value) {
        PciConfigSpace config = target(buid, addressWord, size);
        if (config == null) {
            call.status(RtasStatus.HARDWARE_ERROR);
            return;
        }
        try {
            config.write(PciConfigAddress.decode(addressWord).register(), size, value);
            call.status(RtasStatus.SUCCESS);
        } catch (UncheckedIOException e) {
            call.status(RtasStatus.HARDWARE_ERROR);
        }
    }

    /** The config space an access may go to, or null when QEMU would answer hardware error. */
    private PciConfigSpace target(long buid, int addressWord, int size) {
        if (size != 1 && size != 2 && size != 4) {
            return null;
        }
        PciConfigAddress address = PciConfigAddress.decode(addressWord);
        for (SpaprPhb phb : phbs) {
            if (phb.buid() == buid) {
                PciFunction function = phb.function(address.bus(), address.devfn());
                if (function == null || address.register() % size != 0
                        || address.register() >= function.config().size()) {
                    return null;
                }
                return function.config();
            }
        }
        return null;
    }
}
