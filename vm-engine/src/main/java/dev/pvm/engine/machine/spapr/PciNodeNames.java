package dev.pvm.engine.machine.spapr;

import java.util.List;
import java.util.Map;

/**
 * The node name of a PCI function from its class code, as QEMU's {@code dt_name_from_class} picks it (IEEE 1275
 * PCI binding names): the subclass name if the class lists it (and the interface name where one is listed),
 * else the class name; "pci" beyond the classes it knows.
 */
final class PciNodeNames {

    private static final List<String> CLASSES = List.of("legacy-device", "mass-storage", "network", "display",
            "multimedia-device", "memory-controller", "unknown-bridge", "communication-controller",
            "system-peripheral", "input-controller", "docking-station", "cpu", "serial-bus", "wireless-controller",
            "intelligent-io", "satellite-device", "encryption", "data-processing-controller");

    /** Names by class << 8 | subclass. */
    private static final Map<Integer, String> SUBCLASSES = Map.ofEntries(
            Map.entry(0x0001, "display"),
            Map.entry(0x0100, "scsi"), Map.entry(0x0101, "ide"), Map.entry(0x0102, "fdc"), Map.entry(0x0103, "ipi"),
            Map.entry(0x0104, "raid"), Map.entry(0x0105, "ata"), Map.entry(0x0106, "sata"), Map.entry(0x0107, "sas"),
            Map.entry(0x0200, "ethernet"), Map.entry(0x0201, "token-ring"), Map.entry(0x0202, "fddi"),
            Map.entry(0x0203, "atm"), Map.entry(0x0204, "isdn"), Map.entry(0x0205, "worldfip"),
            Map.entry(0x0206, "picmg"),
            Map.entry(0x0300, "vga"), Map.entry(0x0301, "xga"), Map.entry(0x0302, "3d-controller"),
            Map.entry(0x0400, "video"), Map.entry(0x0401, "sound"), Map.entry(0x0402, "telephony"),
            Map.entry(0x0500, "memory"), Map.entry(0x0501, "flash"),
            Map.entry(0x0600, "host"), Map.entry(0x0601, "isa"), Map.entry(0x0602, "eisa"), Map.entry(0x0603, "mca"),
            Map.entry(0x0604, "pci"), Map.entry(0x0605, "pcmcia"), Map.entry(0x0606, "nubus"),
            Map.entry(0x0607, "cardbus"), Map.entry(0x0608, "raceway"), Map.entry(0x0609, "semi-transparent-pci"),
            Map.entry(0x060a, "infiniband"),
            Map.entry(0x0700, "serial"), Map.entry(0x0701, "parallel"), Map.entry(0x0702, "multiport-serial"),
            Map.entry(0x0703, "modem"), Map.entry(0x0704, "gpib"), Map.entry(0x0705, "smart-card"),
            Map.entry(0x0800, "interrupt-controller"), Map.entry(0x0801, "dma-controller"),
            Map.entry(0x0802, "timer"), Map.entry(0x0803, "rtc"), Map.entry(0x0804, "hot-plug-controller"),
            Map.entry(0x0805, "sd-host-controller"),
            Map.entry(0x0900, "keyboard"), Map.entry(0x0901, "pen"), Map.entry(0x0902, "mouse"),
            Map.entry(0x0903, "scanner"), Map.entry(0x0904, "gameport"),
            Map.entry(0x0a00, "dock"),
            Map.entry(0x0b00, "pentium"), Map.entry(0x0b20, "powerpc"), Map.entry(0x0b30, "mips"),
            Map.entry(0x0b40, "co-processor"),
            Map.entry(0x0c00, "firewire"), Map.entry(0x0c01, "access-bus"), Map.entry(0x0c02, "ssa"),
            Map.entry(0x0c03, "usb"), Map.entry(0x0c04, "fibre-channel"), Map.entry(0x0c05, "smb"),
            Map.entry(0x0c06, "infiniband"), Map.entry(0x0c07, "ipmi"), Map.entry(0x0c08, "sercos"),
            Map.entry(0x0c09, "canbus"),
            Map.entry(0x0d00, "irda"), Map.entry(0x0d01, "consumer-ir"), Map.entry(0x0d10, "rf-controller"),
            Map.entry(0x0d11, "bluetooth"), Map.entry(0x0d12, "broadband"),
            Map.entry(0x0f01, "satellite-tv"), Map.entry(0x0f02, "satellite-audio"),
            Map.entry(0x0f03, "satellite-voice"), Map.entry(0x0f04, "satellite-data"),
            Map.entry(0x1000, "network-encryption"), Map.entry(0x1010, "entertainment-encryption"),
            Map.entry(0x1100, "dpio"), Map.entry(0x1101, "counter"), Map.entry(0x1110, "measurement"),
            Map.entry(0x1120, "management-card"));

    /** Names by the full 24-bit class code, for the subclasses that list interfaces. */
    private static final Map<Integer, String> INTERFACES = Map.of(
            0x080010, "io-apic", 0x080020, "io-xapic",
            0x0c0300, "usb-uhci", 0x0c0310, "usb-ohci", 0x0c0320, "usb-ehci", 0x0c0330, "usb-xhci",
            0x0c0380, "usb-unknown", 0x0c03fe, "usb-device");

    private PciNodeNames() {
    }

    /** The node name for a 24-bit class code (base class, subclass, programming interface). */
    static String fromClass(int classCode) {
        int base = (classCode >>> 16) & 0xff;
        if (base >= CLASSES.size()) {
            return "pci";
        }
        String sub = SUBCLASSES.get(classCode >>> 8 & 0xffff);
        if (sub == null) {
            return CLASSES.get(base);
        }
        return INTERFACES.getOrDefault(classCode & 0xffffff, sub);
    }
}
