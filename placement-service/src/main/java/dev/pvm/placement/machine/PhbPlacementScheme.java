package dev.pvm.placement.machine;

/** Which PHB placement hook a machine version uses (spec 3.3). */
public enum PhbPlacementScheme {
  /** pseries-2.7: windows after RAM, 64 GiB apart, index up to 255, no NVLink2 windows. */
  LEGACY_2_7,
  /** pseries-2.8 .. 4.0: the default windows with both NVLink2 windows forced to zero. */
  NVLINK2_DISABLED,
  /** pseries-4.1 and newer: the default windows plus the NVLink2 GPU-RAM and ATSD windows. */
  DEFAULT
}
