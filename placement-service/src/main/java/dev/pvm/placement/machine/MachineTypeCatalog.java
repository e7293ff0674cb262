package dev.pvm.placement.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pseries machine versions this platform emulates, oldest first, as data.
 *
 * <p>Behaviour is that of QEMU 8.1 (the last release with NVLink2) running each version: QEMU keeps old
 * guest-visible behaviour through per-version class options, which chain from newest to oldest, so each flag
 * below switches at the version that introduced the new behaviour.
 */
public final class MachineTypeCatalog {

  /** The alias of the newest version, as QEMU's {@code -machine pseries}. */
  public static final String NEWEST_ALIAS = "pseries";

  /**
   * QEMU's pseries vCPU limit while each version was current: 255 (MAX_CPUMASK_BITS) up to 2.7, 1024 from 2.8
   * to 6.0; 6.1 lifted it to the host's limit (INT32_MAX) and QEMU later settled TCG on the size of the IPI range
   * (SPAPR_IRQ_NR_IPIS = 4096), which is what a TCG engine can address.
   */
  private static final int MAX_VCPUS_2_7 = 255;
  private static final int MAX_VCPUS_2_8 = 1024;
  private static final int MAX_VCPUS_6_1 = 4096;

  private static final String[] VERSIONS = {
    "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.12-sxxm", "3.0", "3.1", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2",
    "6.0", "6.1", "6.2", "7.0", "7.1", "7.2", "8.0", "8.1"
  };

  private static final MachineTypeCatalog STANDARD = new MachineTypeCatalog(buildStandard());

  private final List<MachineType> types;

  private MachineTypeCatalog(List<MachineType> types) {
    this.types = List.copyOf(types);
  }

  /** The catalogue of every supported version. */
  public static MachineTypeCatalog standard() {
    return STANDARD;
  }

  /** Every version, oldest first. */
  public List<MachineType> all() {
    return types;
  }

  /** The type a name or alias denotes. */
  public Optional<MachineType> find(String name) {
    return types.stream().filter(type -> type.answersTo(name)).findFirst();
  }

  /** Every accepted name, aliases included, for error messages. */
  public List<String> knownNames() {
    List<String> names = new ArrayList<>();
    for (MachineType type : types) {
      names.add(type.name());
      names.addAll(type.aliases());
    }
    return List.copyOf(names);
  }

  private static List<MachineType> buildStandard() {
    List<MachineType> list = new ArrayList<>();
    for (int i = 0; i < VERSIONS.length; i++) {
      String version = VERSIONS[i];
      int major = Integer.parseInt(version.substring(0, version.indexOf('.')));
      String rest = version.substring(version.indexOf('.') + 1);
      int minor = Integer.parseInt(rest.contains("-") ? rest.substring(0, rest.indexOf('-')) : rest);
      int ordinal = major * 100 + minor;
      PhbPlacementScheme placement;
      if (ordinal <= 207) {
        placement = PhbPlacementScheme.LEGACY_2_7;
      } else if (ordinal <= 400) {
        placement = PhbPlacementScheme.NVLINK2_DISABLED;
      } else {
        placement = PhbPlacementScheme.DEFAULT;
      }
      int maxVcpus = ordinal <= 207 ? MAX_VCPUS_2_7 : ordinal <= 600 ? MAX_VCPUS_2_8 : MAX_VCPUS_6_1;
      boolean newest = i == VERSIONS.length - 1;
      list.add(
          new MachineType(
              "pseries-" + version,
              newest ? List.of(NEWEST_ALIAS) : List.of(),
              maxVcpus,
              placement,
              ordinal <= 500,
              ordinal <= 501,
              // smp_threads_vsmt is false for pseries-4.1 and older: vsmt = MAX(8, threads).
              ordinal <= 401 ? 8 : 1));
    }
    return list;
  }
}
