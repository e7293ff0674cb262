package dev.pvm.engine.machine.spapr;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.devices.pci.SpaprPhb;
import dev.pvm.engine.devices.vty.SpaprVty;
import dev.pvm.engine.devices.vty.VtyDeviceTree;
import dev.pvm.engine.fdt.FdtWriter;
import dev.pvm.engine.hcall.HcallTable;
import dev.pvm.engine.machine.BootSource;
import dev.pvm.engine.machine.MachineConfig;
import dev.pvm.engine.machine.MemoryNode;
import dev.pvm.engine.rtas.RtasTable;
import java.util.List;
import java.util.Map;

/**
 * Builds the pseries device tree a guest is booted with: the tree QEMU's pseries machine builds at reset
 * (shared/facts/qemu-dtb), restricted to what this machine implements, with NUMA data from placement's layout
 * used as given. The registries supply {@code ibm,hypertas-functions} and the /rtas tokens.
 */
final class SpaprDeviceTree {

    /** The /model string: like QEMU's "IBM pSeries (emulated by qemu)". */
    static final String MODEL = "IBM pSeries (emulated by pvm)";

    private SpaprDeviceTree() {
    }

    static byte[] build(MachineConfig config, CpuModel cpu, SpaprBootInfo boot, HcallTable hcalls, RtasTable rtas,
            List<SpaprVty> terminals, List<SpaprPhb> phbs) {
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

        chosen(fdt, config, boot, terminals);
        rtasNode(fdt, config, boot, hcalls, rtas);
        cpus(fdt, config, cpu);
        vdevice(fdt, terminals);
        SpaprPhbNodes.write(fdt, phbs);
        for (MemoryNode node : config.memory()) {
            memory(fdt, node);
        }
        fdt.endNode(root);
        return fdt.finish();
    }

    private static void chosen(FdtWriter fdt, MachineConfig config, SpaprBootInfo boot, List<SpaprVty> terminals) {
        FdtWriter.Node chosen = fdt.beginNode("chosen");
        if (config.boot() instanceof BootSource.Kernel k && !k.cmdline().isEmpty()) {
            fdt.propertyString("bootargs", k.cmdline());
        }
        if (boot.initrd().isPresent()) {
            // early_init_dt_check_for_initrd() reads one or two cells; two hold any address.
            fdt.propertyU64("linux,initrd-start", boot.initrd().get()[0]);
            fdt.propertyU64("linux,initrd-end", boot.initrd().get()[1]);
        }
        if (!terminals.isEmpty()) {
            String path = "/vdevice/" + VtyDeviceTree.nodeName(terminals.getFirst());
            fdt.propertyString("stdout-path", path);
            fdt.propertyString("linux,stdout-path", path);
        }
        fdt.endNode(chosen);
    }

    private static void rtasNode(FdtWriter fdt, MachineConfig config, SpaprBootInfo boot, HcallTable hcalls,
            RtasTable rtas) {
        FdtWriter.Node node = fdt.beginNode("rtas");
        fdt.propertyStrings("ibm,hypertas-functions", hcalls.functionSets().toArray(String[]::new));
        for (Map.Entry<String, Integer> token : rtas.tokens().entrySet()) {
            fdt.propertyU32(token.getKey(), token.getValue());
        }
        // Without linux,rtas-base and rtas-size every rtas_token() lookup fails (arch/powerpc/kernel/rtas.c).
        fdt.propertyU32("rtas-size", boot.rtasSize());
        fdt.propertyU32("linux,rtas-base", (int) boot.rtasBase());
        fdt.propertyU32("linux,rtas-entry", (int) boot.rtasBase());
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
        fdt.endNode(node);
    }

    private static void cpus(FdtWriter fdt, MachineConfig config, CpuModel cpu) {
        FdtWriter.Node cpus = fdt.beginNode("cpus");
        fdt.propertyU32("#address-cells", 1);
        fdt.propertyU32("#size-cells", 0);
        for (int i = 0; i < config.vcpus(); i++) {
            FdtWriter.Node node = fdt.beginNode(cpu.name() + "@" + Integer.toHexString(i));
            fdt.propertyString("device_type", "cpu");
            fdt.propertyU32("reg", i);
            // early_init_dt_scan_cpus() finds the boot CPU by this (or reg) against the header's boot_cpuid_phys.
            fdt.propertyU32("ibm,ppc-interrupt-server#s", i);
            fdt.propertyString("status", "okay");
            fdt.propertyEmpty("64-bit");
            fdt.propertyU32("cpu-version", cpu.pvr());
            fdt.propertyU32("clock-frequency", (int) cpu.clockHz());
            fdt.propertyU32("timebase-frequency", (int) cpu.timebaseHz());
            fdt.propertyU32("d-cache-block-size", cpu.cacheBlockBytes());
            fdt.propertyU32("i-cache-block-size", cpu.cacheBlockBytes());
            fdt.propertyU32("d-cache-line-size", cpu.cacheBlockBytes());
            fdt.propertyU32("i-cache-line-size", cpu.cacheBlockBytes());
            fdt.propertyU32("d-cache-size", cpu.l1CacheBytes());
            fdt.propertyU32("i-cache-size", cpu.l1CacheBytes());
            fdt.propertyU32("ibm,slb-size", cpu.slbEntries());
            if (!config.numa().cpuAssociativity().isEmpty()) {
                fdt.propertyCells("ibm,associativity", cells(config.numa().cpuAssociativity().get(i)));
            }
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

    private static int[] cells(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
