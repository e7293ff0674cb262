package dev.pvm.placement.machine;

import java.util.List;
import java.util.Objects;

/**
 * One pseries machine version and the guest-visible behaviour it pins (QEMU's per-version class options).
 *
 * @param name the QEMU name, e.g. {@code pseries-4.1}
 * @param aliases other names resolving to this type ({@code pseries} for the newest)
 * @param maxVcpus the largest vCPU count accepted
 * @param phbPlacement the PHB placement hook (spec 3.3)
 * @param pre51Associativity GPU memory {4,1,1,1,id} and reference points {4,4} (pseries-5.0 and older)
 * @param pre52NumaAssociativity no FORM1 domains from distances, legacy /rtas (pseries-5.1 and older)
 * @param vsmt virtual SMT mode giving vCPU ids (8 for pseries-4.1 and older, 1 thread per core newer)
 */
public record MachineType(
    String name,
    List<String> aliases,
    int maxVcpus,
    PhbPlacementScheme phbPlacement,
    boolean pre51Associativity,
    boolean pre52NumaAssociativity,
    int vsmt) {

  /** Largest PHB index of the default placement: SPAPR_MAX_PHBS - 1. */
  public static final int DEFAULT_MAX_PHB_INDEX = 30;
  /** Largest PHB index of the legacy pseries-2.7 placement. */
  public static final int LEGACY_MAX_PHB_INDEX = 255;

  public MachineType {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(phbPlacement, "phbPlacement");
    if (maxVcpus < 1 || vsmt < 1) {
      throw new IllegalArgumentException("maxVcpus and vsmt must be positive");
    }
  }

  /** Largest PHB index the version's placement accepts. */
  public int maxPhbIndex() {
    return phbPlacement == PhbPlacementScheme.LEGACY_2_7 ? LEGACY_MAX_PHB_INDEX : DEFAULT_MAX_PHB_INDEX;
  }

  /** Whether PHBs get NVLink2 windows (spec 3.3, 12.10): pseries-4.1 and newer. */
  public boolean nvlink2() {
    return phbPlacement == PhbPlacementScheme.DEFAULT;
  }

  /** Whether {@code candidate} names this type, by its name or an alias. */
  public boolean answersTo(String candidate) {
    return name.equals(candidate) || aliases.contains(candidate);
  }
}
