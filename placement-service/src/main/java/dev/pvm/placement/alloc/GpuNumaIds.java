package dev.pvm.placement.alloc;

/**
 * The machine's {@code gpu_numa_id} counter (spec 4.5): the NUMA id each NVLink2 GPU's memory gets, in the order
 * GPUs are visited across all PHBs.
 *
 * <p>One counter lives for one layout computation and starts at max(1, user NUMA nodes). QEMU 4.2-8.1 initialise it
 * once per machine and let every reset keep counting, so GPU ids drift upward on each guest reboot (spec 6.4, 12.8);
 * we use QEMU 4.1's semantics instead (start over on every machine reset), which is what computing the layout
 * afresh for every start gives.
 */
public final class GpuNumaIds {
  private final int first;
  private int next;

  public GpuNumaIds(int userNumaNodes) {
    this.first = Math.max(1, userNumaNodes);
    this.next = first;
  }

  /** The id for the next GPU visited. */
  public int take() {
    return next++;
  }

  /** G0: the first id. */
  public int first() {
    return first;
  }

  /** G: the counter after every GPU took its id. */
  public int current() {
    return next;
  }
}
