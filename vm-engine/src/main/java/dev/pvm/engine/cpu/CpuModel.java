package dev.pvm.engine.cpu;

/**
 * A CPU model as data: what identifies it to the guest and what the device tree says about it.
 *
 * @param name            the device-tree node name prefix ({@code PowerPC,POWER9})
 * @param pvr             processor version register ({@code cpu-version})
 * @param clockHz         nominal core clock ({@code clock-frequency})
 * @param timebaseHz      timebase frequency ({@code timebase-frequency})
 * @param cacheBlockBytes d/i-cache block and line size (dcbz zeroes this many bytes)
 * @param l1CacheBytes    d/i-cache size
 * @param slbEntries      SLB size ({@code ibm,slb-size})
 */
public record CpuModel(String name, int pvr, long clockHz, long timebaseHz, int cacheBlockBytes, int l1CacheBytes,
        int slbEntries) {

    /** POWER9 DD2.0 as QEMU's pseries default CPU presents it (shared/facts/qemu-dtb, cpu node). */
    public static final CpuModel POWER9 = new CpuModel("PowerPC,POWER9", 0x004e1200, 1_000_000_000L, 512_000_000L,
            128, 0x8000, 32);
}
