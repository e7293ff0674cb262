package dev.pvm.placement.numa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.placement.machine.MachineType;
import dev.pvm.placement.machine.MachineTypeCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Form1AssociativityTest {

  private static MachineType type(String name) {
    return MachineTypeCatalog.standard().find(name).orElseThrow();
  }

  private static NumaTopology nodes(int count, int vcpus) {
    List<NumaNodeRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Integer> cpus = new ArrayList<>();
      for (int cpu = i; cpu < vcpus; cpu += count) {
        cpus.add(cpu);
      }
      requests.add(new NumaNodeRequest(cpus, 1024, List.of()));
    }
    return NumaTopology.of(vcpus, 1024L * Math.max(count, 1), requests);
  }

  /**
   * Spec 6.2 per version: N user nodes, GPUs numbered G0..G-1. Columns: machine, N, number of GPUs,
   * reference points, max domains.
   */
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
    "pseries-4.1; 0; 2; 4 4;     4 1 1 1 3",
    "pseries-5.0; 0; 0; 4 4;     4 0 0 0 1",
    "pseries-5.0; 2; 0; 4 4;     4 1 1 1 2",
    "pseries-5.1; 0; 2; 4 4 2;   4 1 1 1 3",
    "pseries-5.1; 3; 1; 4 4 2;   4 1 1 1 4",
    "pseries-5.2; 1; 1; 4 4 2;   4 1 1 1 2",
    "pseries-5.2; 2; 0; 4 3 2 1; 4 2 2 2 2",
    "pseries-6.0; 2; 3; 4 3 2 1; 4 5 5 5 5",
    "pseries-8.1; 4; 2; 4 3 2 1; 4 6 6 6 6",
    "pseries-4.0; 2; 0; 4 4;     4 1 1 1 2",
    "pseries-2.7; 0; 0; 4 4;     4 0 0 0 1"
  })
  void rtasPropertiesPerVersion(String machine, int userNodes, int gpus, String refpoints, String maxDomains) {
    NumaTopology topology = userNodes == 0 ? NumaTopology.of(4, 1024, List.of()) : nodes(userNodes, 4);
    Form1Associativity associativity = new Form1Associativity(type(machine), topology);
    int first = Math.max(1, userNodes);
    assertThat(associativity.referencePoints()).isEqualTo(cells(refpoints));
    assertThat(associativity.maxDomains(first, first + gpus)).isEqualTo(cells(maxDomains));
  }

  /** QEMU 7.2's tree for pseries, 4 vCPUs, 4 GiB, 2 NUMA nodes (shared/facts/qemu-dtb/pseries-4cpu-4G-2numa.dts). */
  @Test
  void matchesQemu72ForTwoNodesWithDefaultDistances() {
    NumaTopology topology =
        NumaTopology.of(4, 4096,
            List.of(new NumaNodeRequest(List.of(0, 1), 2048, List.of()), new NumaNodeRequest(List.of(2, 3), 2048,
                List.of())));
    Form1Associativity associativity = new Form1Associativity(type("pseries-7.2"), topology);
    assertThat(associativity.node(0)).containsExactly(4, 0, 0, 0, 0);
    assertThat(associativity.node(1)).containsExactly(4, 0, 0, 0, 1);
    assertThat(associativity.cpu(1, 2)).containsExactly(5, 0, 0, 0, 1, 2);
    assertThat(associativity.referencePoints()).containsExactly(4, 3, 2, 1);
    assertThat(associativity.maxDomains(2, 2)).containsExactly(4, 2, 2, 2, 2);
    assertThat(topology.nodes().get(1).ram().base()).isEqualTo(0x80000000L);
  }

  @Test
  void form1DomainsCascadeFromLowerNodesByDistanceLevel() {
    // 0-1 at 20 share levels 1-3; 0-2 at 40 share levels 1-2; 1-2 at 80 share level 1; 3 is far from all.
    List<Integer> d0 = List.of(10, 20, 40, 160);
    List<Integer> d1 = List.of(20, 10, 80, 160);
    List<Integer> d2 = List.of(40, 80, 10, 160);
    List<Integer> d3 = List.of(160, 160, 160, 10);
    NumaTopology topology =
        NumaTopology.of(4, 4096,
            List.of(new NumaNodeRequest(List.of(0), 1024, d0), new NumaNodeRequest(List.of(1), 1024, d1),
                new NumaNodeRequest(List.of(2), 1024, d2), new NumaNodeRequest(List.of(3), 1024, d3)));
    Form1Associativity associativity = new Form1Associativity(type("pseries-6.2"), topology);
    assertThat(associativity.node(0)).containsExactly(4, 0, 0, 0, 0);
    assertThat(associativity.node(1)).containsExactly(4, 0, 0, 0, 1);
    assertThat(associativity.node(2)).containsExactly(4, 0, 0, 2, 2);
    assertThat(associativity.node(3)).containsExactly(4, 3, 3, 3, 3);
    // Before 5.2 distances do not shape the arrays.
    Form1Associativity old = new Form1Associativity(type("pseries-5.1"), topology);
    assertThat(old.node(3)).containsExactly(4, 0, 0, 0, 3);
  }

  @Test
  void distanceLevelsFollowTheDocumentedRanges() {
    assertThat(List.of(10, 11, 30, 31, 60, 61, 120, 121).stream().map(Form1Associativity::levelOf))
        .containsExactly(4, 3, 3, 2, 2, 1, 1, 0);
  }

  @Test
  void gpuArraysPerVersion() {
    NumaTopology none = NumaTopology.of(1, 1024, List.of());
    assertThat(new Form1Associativity(type("pseries-5.0"), none).gpu(3)).containsExactly(4, 1, 1, 1, 3);
    assertThat(new Form1Associativity(type("pseries-5.1"), none).gpu(3)).containsExactly(4, 3, 3, 3, 3);
  }

  private static List<Integer> cells(String text) {
    return java.util.Arrays.stream(text.trim().split("\\s+")).map(Integer::parseInt).toList();
  }
}
