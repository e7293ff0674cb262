package dev.pvm.gateway.vm;

import dev.pvm.gateway.clients.DeviceClient;
import dev.pvm.gateway.clients.MachineTypeLimits;
import dev.pvm.gateway.clients.PlacementClient;
import dev.pvm.gateway.config.GatewayProperties;
import dev.pvm.gateway.problem.FieldViolation;
import dev.pvm.gateway.problem.InvalidRequestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Checks a VM definition before anything else sees it, and reports every broken rule at once, each with the JSON
 * path of its field. Machine limits come from placement-service, device existence from device-service.
 */
@Component
public class VmDefinitionValidator {

    /** A DNS label (RFC 1123), lower case, starting with a letter. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Host PCI address as device-service spells it: "DDDD:BB:DD.F", lower-case hex. */
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]");
    /** sPAPR memory blocks (LMBs) are 256 MiB; RAM and NUMA nodes come in whole blocks. */
    private static final long MEMORY_BLOCK_MIB = 256;

    private final PlacementClient placement;
    private final DeviceClient devices;
    private final GatewayProperties properties;

    public VmDefinitionValidator(PlacementClient placement, DeviceClient devices, GatewayProperties properties) {
        this.placement = placement;
        this.devices = devices;
        this.properties = properties;
    }

    /** Validates a definition to be stored (the name is required). */
    public void validate(VmDefinition definition) {
        throwIfAny(check(definition, true));
    }

    /** Validates a definition for a layout preview (the name may be absent). */
    public void validateForLayout(VmDefinition definition) {
        throwIfAny(check(definition, false));
    }

    private static void throwIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
    }

    private List<FieldViolation> check(VmDefinition d, boolean nameRequired) {
        List<FieldViolation> v = new ArrayList<>();
        checkName(d.name(), nameRequired, v);
        Optional<MachineTypeLimits> machine = checkMachine(d.machine(), v);
        checkVcpus(d.vcpus(), machine, v);
        checkMemory(d.memoryMiB(), v);
        checkNuma(d, v);
        checkBoot(d.boot(), v);
        checkPhbs(d.phbList(), machine, v);
        return v;
    }

    private static void checkName(String name, boolean required, List<FieldViolation> v) {
        if (name == null) {
            if (required) {
                v.add(new FieldViolation("name", "is required"));
            }
        } else if (!DNS_LABEL.matcher(name).matches()) {
            v.add(new FieldViolation("name", "must be a DNS label: 1-63 characters of [a-z0-9-], starting with a "
                    + "letter and not ending with '-' (got '" + name + "')"));
        }
    }

    private Optional<MachineTypeLimits> checkMachine(String machine, List<FieldViolation> v) {
        if (machine == null || machine.isBlank()) {
            v.add(new FieldViolation("machine", "is required"));
            return Optional.empty();
        }
        List<MachineTypeLimits> known = placement.machineTypes();
        Optional<MachineTypeLimits> found = known.stream().filter(t -> t.answersTo(machine)).findFirst();
        if (found.isEmpty()) {
            String names = known.stream().map(MachineTypeLimits::name).collect(Collectors.joining(", "));
            v.add(new FieldViolation("machine", "unknown machine type '" + machine + "'; known: " + names));
        }
        return found;
    }

    private static void checkVcpus(Integer vcpus, Optional<MachineTypeLimits> machine, List<FieldViolation> v) {
        if (vcpus == null) {
            v.add(new FieldViolation("vcpus", "is required"));
        } else if (vcpus < 1) {
            v.add(new FieldViolation("vcpus", "must be at least 1 (got " + vcpus + ")"));
        } else if (machine.isPresent() && vcpus > machine.get().maxVcpus()) {
            v.add(new FieldViolation("vcpus", "must be at most " + machine.get().maxVcpus() + " for "
                    + machine.get().name() + " (got " + vcpus + ")"));
        }
    }

    private static void checkMemory(Long memoryMiB, List<FieldViolation> v) {
        if (memoryMiB == null) {
            v.add(new FieldViolation("memoryMiB", "is required"));
        } else if (memoryMiB <= 0 || memoryMiB % MEMORY_BLOCK_MIB != 0) {
            v.add(new FieldViolation("memoryMiB",
                    "must be a positive multiple of " + MEMORY_BLOCK_MIB + " (got " + memoryMiB + ")"));
        }
    }

    private static void checkNuma(VmDefinition d, List<FieldViolation> v) {
        List<NumaNode> nodes = d.numaNodes();
        if (nodes.isEmpty()) {
            return;
        }
        Map<Integer, Integer> nodeOfCpu = new HashMap<>();
        long total = 0;
        boolean memoryKnown = true;
        for (int i = 0; i < nodes.size(); i++) {
            NumaNode node = nodes.get(i);
            String path = "numa[" + i + "]";
            if (node == null) {
                v.add(new FieldViolation(path, "must not be null"));
                memoryKnown = false;
                continue;
            }
            if (node.cpus() == null) {
                v.add(new FieldViolation(path + ".cpus", "is required"));
            } else {
                for (int j = 0; j < node.cpus().size(); j++) {
                    Integer cpu = node.cpus().get(j);
                    String cpuPath = path + ".cpus[" + j + "]";
                    if (cpu == null || cpu < 0 || (d.vcpus() != null && cpu >= d.vcpus())) {
                        v.add(new FieldViolation(cpuPath, "vCPU " + cpu + " does not exist (vcpus is "
                                + d.vcpus() + ")"));
                    } else {
                        Integer previous = nodeOfCpu.putIfAbsent(cpu, i);
                        if (previous != null) {
                            v.add(new FieldViolation(cpuPath, "vCPU " + cpu + " is already in numa[" + previous
                                    + "]"));
                        }
                    }
                }
            }
            if (node.memoryMiB() == null) {
                v.add(new FieldViolation(path + ".memoryMiB", "is required"));
                memoryKnown = false;
            } else if (node.memoryMiB() < 0 || node.memoryMiB() % MEMORY_BLOCK_MIB != 0) {
                v.add(new FieldViolation(path + ".memoryMiB", "must be a multiple of " + MEMORY_BLOCK_MIB
                        + " (got " + node.memoryMiB() + ")"));
                memoryKnown = false;
            } else {
                total += node.memoryMiB();
            }
            if (node.distances() != null && !node.distances().isEmpty()) {
                if (node.distances().size() != nodes.size()) {
                    v.add(new FieldViolation(path + ".distances", "needs one entry per node (" + nodes.size()
                            + "), got " + node.distances().size()));
                } else if (!Integer.valueOf(10).equals(node.distances().get(i))) {
                    v.add(new FieldViolation(path + ".distances[" + i + "]", "a node's distance to itself is 10"));
                }
            }
        }
        if (d.vcpus() != null && d.vcpus() > 0) {
            TreeSet<Integer> missing = new TreeSet<>();
            for (int cpu = 0; cpu < d.vcpus(); cpu++) {
                if (!nodeOfCpu.containsKey(cpu)) {
                    missing.add(cpu);
                }
            }
            if (!missing.isEmpty()) {
                v.add(new FieldViolation("numa", "vCPUs " + missing + " are in no NUMA node"));
            }
        }
        if (memoryKnown && d.memoryMiB() != null && total != d.memoryMiB()) {
            v.add(new FieldViolation("numa", "the nodes' memory adds up to " + total + " MiB, not memoryMiB ("
                    + d.memoryMiB() + ")"));
        }
    }

    private void checkBoot(BootSource boot, List<FieldViolation> v) {
        if (boot == null) {
            v.add(new FieldViolation("boot", "is required: give boot.kernel or boot.builtin"));
            return;
        }
        boolean kernel = boot.kernel() != null;
        boolean builtin = boot.builtin() != null;
        if (kernel == builtin) {
            v.add(new FieldViolation("boot", "give exactly one of boot.kernel or boot.builtin"));
            return;
        }
        if (builtin) {
            if (!properties.engine().builtins().contains(boot.builtin())) {
                v.add(new FieldViolation("boot.builtin", "unknown built-in guest '" + boot.builtin() + "'; known: "
                        + String.join(", ", properties.engine().builtins())));
            }
            if (boot.initrd() != null) {
                v.add(new FieldViolation("boot.initrd", "only goes with boot.kernel"));
            }
            if (boot.cmdline() != null) {
                v.add(new FieldViolation("boot.cmdline", "only goes with boot.kernel"));
            }
            return;
        }
        checkFile("boot.kernel", boot.kernel(), v);
        if (boot.initrd() != null) {
            checkFile("boot.initrd", boot.initrd(), v);
        }
    }

    private static void checkFile(String field, String path, List<FieldViolation> v) {
        Path file = Path.of(path);
        if (!file.isAbsolute()) {
            v.add(new FieldViolation(field, "must be an absolute path (got '" + path + "')"));
        } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            v.add(new FieldViolation(field, "no readable file at " + path + " on this host"));
        }
    }

    private void checkPhbs(List<PhbDefinition> phbs, Optional<MachineTypeLimits> machine, List<FieldViolation> v) {
        Map<Integer, Integer> phbOfIndex = new HashMap<>();
        Map<String, String> pathOfDevice = new HashMap<>();
        for (int i = 0; i < phbs.size(); i++) {
            PhbDefinition phb = phbs.get(i);
            String path = "phbs[" + i + "]";
            if (phb == null) {
                v.add(new FieldViolation(path, "must not be null"));
                continue;
            }
            if (phb.index() == null) {
                v.add(new FieldViolation(path + ".index", "is required"));
            } else if (phb.index() < 0) {
                v.add(new FieldViolation(path + ".index", "must not be negative (got " + phb.index() + ")"));
            } else if (machine.isPresent() && phb.index() > machine.get().maxPhbIndex()) {
                v.add(new FieldViolation(path + ".index", "\"index\" for PAPR PHB is too large (max "
                        + machine.get().maxPhbIndex() + ")"));
            } else {
                Integer previous = phbOfIndex.putIfAbsent(phb.index(), i);
                if (previous != null) {
                    v.add(new FieldViolation(path + ".index", "duplicate PHB index " + phb.index()
                            + " (also used by phbs[" + previous + "])"));
                }
            }
            List<String> addresses = phb.devices() == null ? List.of() : phb.devices();
            for (int j = 0; j < addresses.size(); j++) {
                checkDevice(addresses.get(j), path + ".devices[" + j + "]", pathOfDevice, v);
            }
        }
    }

    private void checkDevice(String address, String path, Map<String, String> pathOfDevice, List<FieldViolation> v) {
        if (address == null || !PCI_ADDRESS.matcher(address).matches()) {
            v.add(new FieldViolation(path, "must be a host PCI address DDDD:BB:DD.F in lower-case hex (got '"
                    + address + "')"));
            return;
        }
        String previous = pathOfDevice.putIfAbsent(address, path);
        if (previous != null) {
            v.add(new FieldViolation(path, "device " + address + " is already passed through as " + previous));
            return;
        }
        if (devices.find(address).isEmpty()) {
            v.add(new FieldViolation(path, "unknown host device " + address));
        }
    }
}
