package dev.pvm.engine.machine;

import java.util.List;
import java.util.Map;

/**
 * The NUMA description placement computed for the whole machine (used as given, never recomputed).
 *
 * @param referencePoints    {@code ibm,associativity-reference-points} of /rtas; empty: not written
 * @param maxDomains         {@code ibm,max-associativity-domains} of /rtas; empty: not written
 * @param cpuAssociativity   per vCPU index, its {@code ibm,associativity} cells; empty: not written
 * @param extraRtasProperties other /rtas properties by name (cells), in order
 */
public record NumaProperties(List<Integer> referencePoints, List<Integer> maxDomains,
        List<List<Integer>> cpuAssociativity, Map<String, List<Integer>> extraRtasProperties) {

    public static final NumaProperties NONE = new NumaProperties(List.of(), List.of(), List.of(), Map.of());

    public NumaProperties {
        referencePoints = List.copyOf(referencePoints);
        maxDomains = List.copyOf(maxDomains);
        cpuAssociativity = cpuAssociativity.stream().map(List::copyOf).toList();
        extraRtasProperties = Map.copyOf(extraRtasProperties);
    }
}
