package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.isa.Field;
import java.lang.invoke.VarHandle;

/**
 * Storage control and synchronization (Power ISA v3.0B Book II chapters 4-5): cache management and barriers.
 * Load-and-reserve / store-conditional are {@link ReservationOps}.
 *
 * <p>Guest memory is coherent host memory shared by the vCPUs' threads, so cache hints have no effect; the
 * barriers become the JVM's fences, which keep both the JIT and the host CPU from reordering guest accesses
 * across them (Book II 4.4.3): sync (hwsync, lwsync, ptesync) a full fence, and as the end of a tlbie sequence
 * it also waits for the other vCPUs' TLB invalidations (Book III 6.10.2); eieio (mbar) orders stores; isync
 * orders later accesses after earlier loads. dcbz still zeroes its block.
 */
final class StorageControlOps {

    private StorageControlOps() {
    }

    static void bind(SemanticsBinder b) {
        StorageAccess m = b.storage();
        for (String hint : new String[] {"DCBT", "DCBTST", "DCBST", "DCBF", "ICBI", "DSS", "DSSALL", "DST", "DSTT",
                "DSTST", "DSTSTT"}) {
            b.bind(hint, row -> (s, i) -> {
            });
        }
        b.bind("SYNC", row -> (s, i) -> {
            VarHandle.fullFence();
            s.mmu.completeShootdowns();
        });
        b.bind("MBAR", row -> (s, i) -> VarHandle.releaseFence());
        b.bind("ISYNC", row -> (s, i) -> VarHandle.acquireFence());
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
