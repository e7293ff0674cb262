package dev.pvm.engine.cpu.interp;

import dev.pvm.engine.cpu.isa.Field;
import java.security.SecureRandom;

/**
 * Deliver A Random Number (Power ISA v3.0B Book I 3.3.20): {@code darn RT,L}. The numbers come from the host's
 * cryptographically secure generator, so the failure value 0xFFFF_FFFF_FFFF_FFFF is never returned for a valid
 * L: L=0 gives a 32-bit number (zero-extended, which can never equal it), L=1 ("conditioned") and L=2 ("raw") a
 * 64-bit number, drawn again in the 2^-64 case that it is all ones. L=3 is reserved; it returns the failure
 * value, as QEMU does.
 */
final class RandomNumberOps {

    static final long FAILURE = -1L;

    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomNumberOps() {
    }

    static void bind(SemanticsBinder b) {
        b.bind("DARN", row -> {
            Field rt = row.field("rt");
            Field l = row.field("l");
            return (s, i) -> s.gpr[rt.raw(i)] = darn(l.raw(i));
        });
    }

    static long darn(int l) {
        return switch (l) {
            case 0 -> RANDOM.nextInt() & 0xFFFF_FFFFL;
            case 1, 2 -> {
                long v;
                do {
                    v = RANDOM.nextLong();
                } while (v == FAILURE);
                yield v;
            }
            default -> FAILURE;
        };
    }
}
