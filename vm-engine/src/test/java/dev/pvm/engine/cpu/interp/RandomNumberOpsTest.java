package dev.pvm.engine.cpu.interp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomNumberOpsTest {

    @Test
    void darnDeliversNumbersOfTheRequestedWidthAndNeverTheFailureValue() {
        try (TestCpu t = TestCpu.littleEndian()) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 16; i++) {
                t.exec("darn r3,0", "darn r4,1", "darn r5,2");
                assertThat(t.r(3) >>> 32).as("L=0 gives 32 bits").isZero();
                assertThat(t.r(4)).isNotEqualTo(RandomNumberOps.FAILURE);
                assertThat(t.r(5)).isNotEqualTo(RandomNumberOps.FAILURE);
                seen.add(t.r(4));
            }
            assertThat(seen).as("64-bit numbers do not repeat").hasSize(16);
            t.exec("darn r6,3");
            assertThat(t.r(6)).as("L=3 is reserved: the failure value, as QEMU").isEqualTo(-1);
        }
    }
}
