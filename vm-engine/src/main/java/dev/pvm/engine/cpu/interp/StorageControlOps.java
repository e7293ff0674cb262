package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.isa.Field;

/**
 * Storage control and synchronization (Power ISA v3.0B Book II chapters 4-5): cache management and barriers.
 * Load-and-reserve / store-conditional are {@link ReservationOps}.
 *
 * <p>Guest memory is coherent host memory and one vCPU runs at a time, so barriers and cache hints have no
 * effect beyond ordering, which the interpreter already gives. dcbz still zeroes its block.
 */
final class StorageControlOps {

    private StorageControlOps() {
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        for (String hint : new String[] {"SYNC", "ISYNC", "MBAR", "DCBT", "DCBTST", "DCBST", "DCBF", "ICBI",
                "DSS", "DSSALL", "DST", "DSTT", "DSTST", "DSTSTT"}) {
            b.bind(hint, row -> (s, i) -> {
            });
        }
        int block = b.model().cacheBlockBytes();
        b.bind("DCBZ", row -> {
            Field ra = row.field("ra");
            Field rb = row.field("rb");
            return (s, i) -> {
                int a = ra.raw(i);
                long ea = s.ea((a == 0 ? 0 : s.gpr[a]) + s.gpr[rb.raw(i)]) & -(long) block;
                m.zero(s, ea, block);
            };
        });
    }
}
