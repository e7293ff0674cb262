package dev.pvm.engine.hcall;

import java.security.SecureRandom;

/**
 * H_RANDOM (LoPAPR 14.15.x): 64 bits from the host's random source in r4. Linux uses it for its arch random
 * seed when the tree has an {@code ibm,random} node (arch/powerpc/platforms/pseries/rng.c), as QEMU's spapr-rng
 * device provides; the machine writes that node, so the call is not in ibm,hypertas-functions.
 */
public final class RandomHcall {

    public static final long H_RANDOM = 0x300;

    private RandomHcall() {
    }

    public static void register(HcallTable table, SecureRandom random) {
        table.register(H_RANDOM, "H_RANDOM", null, cpu -> {
            cpu.gpr[4] = random.nextLong();
            return HcallStatus.H_SUCCESS;
        });
    }
}
