package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.devices.vty.SpaprVty;
import dev.pvm.engine.devices.vty.VtyDeviceTree;
import dev.pvm.engine.devices.xics.Xics;
import dev.pvm.engine.devices.xics.XicsDeviceTree;
import dev.pvm.engine.fdt.FdtWriter;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.hcall.RandomHcall;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.machine.MmuMode;
import dev.pvm.engine.rtas.RtasService;
import dev.pvm.engine.rtas.RtasTable;
import java.util.List;
import java.util.Map;

/**
 * Builds the pseries device tree a guest is booted with: the tree QEMU 7.2's pseries machine builds at reset
 * (hw/ppc/spapr.c spapr_build_fdt; shared/facts/qemu-dtb), restricted to what this machine implements, plus what
 * firmware would have added before handing over (no SLOF/VOF runs here). NUMA data from placement's layout is
 * used as given. The registries supply {@code ibm,hypertas-functions} and the /rtas tokens. The differences
 * from QEMU's trees are listed, with reasons, in the golden test's intended-differences file.
 */
final class SpaprDeviceTree {

    /** The /model string: like QEMU's "IBM pSeries (emulated by qemu)". */
    static final String MODEL = "IBM pSeries (emulated by pvm)";
    /** QEMU's SPAPR_MEMORY_BLOCK_SIZE: the LMB size in ibm,lrdr-capacity. */
    static final long MEMORY_BLOCK_SIZE = 256L << 20;
    /** QEMU's RTAS_ERROR_LOG_MAX and RTAS_EVENT_SCAN_RATE. */
    static final int RTAS_ERROR_LOG_MAX = 2048;
    static final int RTAS_EVENT_SCAN_RATE = 1;

    /** Option vector 5 bytes (Linux arch/powerpc/include/asm/prom.h OV5_*: byte index, bit value). */
    private static final int OV5_FORM1_AFFINITY_BYTE = 5;
    private static final int OV5_FORM1_AFFINITY = 0x80;
    private static final int OV5_MMU_SUPPORT_BYTE = 24;
    private static final int OV5_MMU_RADIX = 0x40;
    private static final int OV5_RADIX_GTSE_BYTE = 26;
    private static final int OV5_RADIX_GTSE = 0x40;

    private SpaprDeviceTree() {
    }

    /** What the tree describes besides the configuration. */
    record Devices(CpuModel cpu, HcallTable hcalls, RtasTable rtas, List<SpaprVty> terminals, Xics xics) {
    }

    static byte[] build(MachineConfig config, SpaprBootInfo boot, Devices devices) {
        FdtWriter fdt = new FdtWriter();
        // Linux reserves the tree itself; the RTAS region must be reserved explicitly.
        fdt.reserveMemory(boot.rtasBase(), SpaprBootLoader.RTAS_REGION_SIZE);
        FdtWriter.Node root = fdt.beginNode("");
        fdt.propertyU32("#address-cells", 2);
        fdt.propertyU32("#size-cells", 2);
        // pSeries_probe() (arch/powerpc/platforms/pseries/setup.c) matches device_type "chrp".
        fdt.propertyString("device_type", "chrp");
        fdt.propertyString("model", MODEL);
        fdt.propertyString("compatible", "qemu,pseries");

        chosen(fdt, config, boot, devices.terminals());
        rtasNode(fdt, config, boot, devices);
        if (devices.xics().isClaimed(Xics.EPOW_IRQ) && devices.xics().isClaimed(Xics.HOTPLUG_IRQ)) {
            eventSources(fdt);
        }
        cpus(fdt, config, devices.cpu());
        vdevice(fdt, devices.terminals());
        for (MemoryNode node : config.memory()) {
            memory(fdt, node);
        }
        XicsDeviceTree.write(fdt, devices.xics());
        if (devices.hcalls().isRegistered(RandomHcall.H_RANDOM)) {
            platformFacilities(fdt);
        }
        fdt.endNode(root);
        return fdt.finish();
    }

    private static void chosen(FdtWriter fdt, MachineConfig config, SpaprBootInfo boot, List<SpaprVty> terminals) {
        FdtWriter.Node chosen = fdt.beginNode("chosen");
        fdt.property("ibm,architecture-vec-5", architectureVector5(config.mmu()));
        // What the platform could negotiate through CAS (QEMU's spapr_dt_ov5_platform_support): XICS only
        // (byte 23 = 0), hash or radix (24 = 0xc0), radix with GTSE (26 = 0x40).
        fdt.propertyCells("ibm,arch-vec-5-platform-support", 0x1700_18c0, 0x1900_1a40);
        if (!terminals.isEmpty()) {
            String path = "/vdevice/" + VtyDeviceTree.nodeName(terminals.getFirst());
            fdt.propertyString("stdout-path", path);
            fdt.propertyString("linux,stdout-path", path);
        }
        if (config.boot() instanceof BootSource.Kernel k && !k.cmdline().isEmpty()) {
            fdt.propertyString("bootargs", k.cmdline());
        }
        if (boot.initrd().isPresent()) {
            // One cell each, as QEMU writes them: the loader keeps the initrd below the 32-bit RMA limit.
            fdt.propertyU32("linux,initrd-start", (int) boot.initrd().get()[0]);
            fdt.propertyU32("linux,initrd-end", (int) boot.initrd().get()[1]);
        }
        fdt.endNode(chosen);
    }

    /**
     * Option vector 5 as ibm,client-architecture-support would have left it (no firmware runs CAS here): the
     * kernel's early_check_vec5 (arch/powerpc/mm/init_64.c) picks the MMU from byte 24, and
     * fw_vec5_feature_init (platforms/pseries/firmware.c) FORM1 NUMA affinity from byte 5, without which the
     * associativity reference points would be read as form 0.
     */
    static byte[] architectureVector5(MmuMode mmu) {
        byte[] vec5 = new byte[OV5_RADIX_GTSE_BYTE + 1];
        vec5[0] = (byte) (vec5.length - 1);
        vec5[OV5_FORM1_AFFINITY_BYTE] = (byte) OV5_FORM1_AFFINITY;
        if (mmu == MmuMode.RADIX) {
            vec5[OV5_MMU_SUPPORT_BYTE] = (byte) OV5_MMU_RADIX;
            vec5[OV5_RADIX_GTSE_BYTE] = (byte) OV5_RADIX_GTSE;
        }
        return vec5;
    }

    private static void rtasNode(FdtWriter fdt, MachineConfig config, SpaprBootInfo boot, Devices devices) {
        FdtWriter.Node node = fdt.beginNode("rtas");
        fdt.propertyStrings("ibm,hypertas-functions",
                devices.hcalls().functionSets().toArray(String[]::new));
        if (!config.numa().referencePoints().isEmpty()) {
            fdt.propertyCells("ibm,associativity-reference-points", cells(config.numa().referencePoints()));
        }
        if (!config.numa().maxDomains().isEmpty()) {
            fdt.propertyCells("ibm,max-associativity-domains", cells(config.numa().maxDomains()));
        }
        for (Map.Entry<String, List<Integer>> p : config.numa().extraRtasProperties().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            fdt.propertyCells(p.getKey(), cells(p.getValue()));
        }
        // Without linux,rtas-base and rtas-size every rtas_token() lookup fails (arch/powerpc/kernel/rtas.c);
        // firmware's instantiate-rtas would have set them.
        fdt.propertyU32("rtas-size", boot.rtasSize());
        fdt.propertyU32("linux,rtas-base", (int) boot.rtasBase());
        fdt.propertyU32("linux,rtas-entry", (int) boot.rtasBase());
        fdt.propertyU32("rtas-error-log-max", RTAS_ERROR_LOG_MAX);
        fdt.propertyU32("rtas-event-scan-rate", RTAS_EVENT_SCAN_RATE);
        if (devices.rtas().isRegistered(RtasService.OS_TERM)) {
            // ibm,os-term returns to the caller (LoPAPR "ibm,extended-os-term").
            fdt.propertyEmpty("ibm,extended-os-term");
        }
        // Maximum hot-pluggable address (none: no device memory), LMB size, maximum vCPUs.
        fdt.propertyCells("ibm,lrdr-capacity", 0, 0, (int) (MEMORY_BLOCK_SIZE >>> 32), (int) MEMORY_BLOCK_SIZE,
                config.vcpus());
        for (Map.Entry<String, Integer> token : devices.rtas().tokens().entrySet()) {
            fdt.propertyU32(token.getKey(), token.getValue());
        }
        fdt.endNode(node);
    }

    /**
     * The EPOW and hot-plug event sources (QEMU's spapr_dt_events): Linux's ras.c requests their interrupts and
     * calls check-exception when they fire. This machine raises no such events; the sources exist and stay idle.
     */
    private static void eventSources(FdtWriter fdt) {
        FdtWriter.Node node = fdt.beginNode("event-sources");
        fdt.propertyEmpty("interrupt-controller");
        fdt.propertyU32("#interrupt-cells", 2);
        fdt.propertyCells("interrupt-ranges", Xics.EPOW_IRQ, 1, Xics.HOTPLUG_IRQ, 1);
        FdtWriter.Node epow = fdt.beginNode("epow-events");
        fdt.propertyCells("interrupts", Xics.EPOW_IRQ, 0);
        fdt.endNode(epow);
        FdtWriter.Node hotplug = fdt.beginNode("hot-plug-events");
        fdt.propertyCells("interrupts", Xics.HOTPLUG_IRQ, 0);
        fdt.endNode(hotplug);
        fdt.endNode(node);
    }

    private static void cpus(FdtWriter fdt, MachineConfig config, CpuModel cpu) {
        FdtWriter.Node cpus = fdt.beginNode("cpus");
        fdt.propertyU32("#address-cells", 1);
        fdt.propertyU32("#size-cells", 0);
        int pftShift = HptSizing.shiftForRam(config.memoryBytes());
        for (int i = 0; i < config.vcpus(); i++) {
            FdtWriter.Node node = fdt.beginNode(cpu.name() + "@" + Integer.toHexString(i));
            fdt.propertyU32("reg", i);
            fdt.propertyString("device_type", "cpu");
            fdt.propertyU32("cpu-version", cpu.pvr());
            fdt.propertyU32("d-cache-block-size", cpu.cacheBlockBytes());
            fdt.propertyU32("d-cache-line-size", cpu.cacheBlockBytes());
            fdt.propertyU32("i-cache-block-size", cpu.cacheBlockBytes());
            fdt.propertyU32("i-cache-line-size", cpu.cacheBlockBytes());
            fdt.propertyU32("d-cache-size", cpu.l1CacheBytes());
            fdt.propertyU32("i-cache-size", cpu.l1CacheBytes());
            fdt.propertyU32("timebase-frequency", (int) cpu.timebaseHz());
            fdt.propertyU32("clock-frequency", (int) cpu.clockHz());
            fdt.propertyU32("slb-size", cpu.slbEntries());
            fdt.propertyU32("ibm,slb-size", cpu.slbEntries());
            fdt.propertyString("status", "okay");
            fdt.propertyEmpty("64-bit");
            fdt.propertyU32("ibm,purr", 1);
            fdt.propertyU32("ibm,spurr", 1);
            fdt.propertyCells("ibm,processor-segment-sizes", Power9TreeProperties.SEGMENT_SIZES);
            fdt.propertyU32("ibm,vmx", Power9TreeProperties.VMX_LEVEL);
            fdt.propertyCells("ibm,segment-page-sizes", Power9TreeProperties.SEGMENT_PAGE_SIZES);
            fdt.property("ibm,pa-features", Power9TreeProperties.paFeatures(config.mmu()));
            fdt.propertyU32("ibm,chip-id", 0);
            // The HPT the engine would give a hash guest; QEMU writes it whatever the guest will choose.
            fdt.propertyCells("ibm,pft-size", 0, pftShift);
            if (!config.numa().cpuAssociativity().isEmpty()) {
                fdt.propertyCells("ibm,associativity", cells(config.numa().cpuAssociativity().get(i)));
            }
            // early_init_dt_scan_cpus() finds the boot CPU by this (or reg) against the header's boot_cpuid_phys.
            fdt.propertyU32("ibm,ppc-interrupt-server#s", i);
            fdt.propertyCells("ibm,ppc-interrupt-gserver#s", i, 0);
            fdt.propertyCells("ibm,processor-radix-AP-encodings", Power9TreeProperties.RADIX_AP_ENCODINGS);
            fdt.propertyU32("ibm,dec-bits", Power9TreeProperties.DEC_BITS);
            fdt.endNode(node);
        }
        fdt.endNode(cpus);
    }

    private static void vdevice(FdtWriter fdt, List<SpaprVty> terminals) {
        FdtWriter.Node node = fdt.beginNode("vdevice");
        fdt.propertyString("device_type", "vdevice");
        fdt.propertyString("compatible", "IBM,vdevice");
        fdt.propertyU32("#address-cells", 1);
        fdt.propertyU32("#size-cells", 0);
        fdt.propertyU32("#interrupt-cells", 2);
        fdt.propertyEmpty("interrupt-controller");
        for (SpaprVty vty : terminals) {
            VtyDeviceTree.write(fdt, vty);
        }
        fdt.endNode(node);
    }

    private static void memory(FdtWriter fdt, MemoryNode m) {
        FdtWriter.Node node = fdt.beginNode("memory@" + Long.toHexString(m.base()));
        fdt.propertyString("device_type", "memory");
        fdt.propertyCells("reg", (int) (m.base() >>> 32), (int) m.base(), (int) (m.size() >>> 32), (int) m.size());
        if (!m.associativity().isEmpty()) {
            fdt.propertyCells("ibm,associativity", cells(m.associativity()));
        }
        fdt.endNode(node);
    }

    /**
     * The random number generator QEMU's spapr-rng device describes (hw/ppc/spapr_rng.c): Linux seeds its
     * entropy from H_RANDOM when it finds the {@code ibm,random} node (arch/powerpc/platforms/pseries/rng.c).
     */
    private static void platformFacilities(FdtWriter fdt) {
        FdtWriter.Node node = fdt.beginNode("ibm,platform-facilities");
        fdt.propertyString("device_type", "ibm,platform-facilities");
        fdt.propertyU32("#address-cells", 1);
        fdt.propertyU32("#size-cells", 0);
        FdtWriter.Node rng = fdt.beginNode("ibm,random-v1");
        fdt.propertyString("compatible", "ibm,random");
        fdt.endNode(rng);
        fdt.endNode(node);
    }

    private static int[] cells(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
