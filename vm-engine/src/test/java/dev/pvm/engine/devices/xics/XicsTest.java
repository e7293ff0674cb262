package dev.pvm.engine.devices.xics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The presentation and source rules of QEMU's hw/intc/xics.c, driven through the controller's API. */
class XicsTest {

    private final RecordingInterruptInputs lines = new RecordingInterruptInputs();
    private final Xics xics = new Xics(2, lines);
    private InterruptLine msi;
    private InterruptLine lsi;

    @BeforeEach
    void setUp() {
        xics.reset();
        msi = xics.claim(0x1100, false);
        lsi = xics.claim(0x1200, true);
    }

    private static int xirr(int cppr, int xisr) {
        return cppr << 24 | xisr;
    }

    @Test
    void ipiBetweenTwoServers() {
        xics.setCppr(1, 0xff);
        xics.setMfrr(1, 5);
        assertThat(lines.raised(1)).isTrue();
        assertThat(lines.raised(0)).isFalse();
        assertThat(xics.accept(1)).isEqualTo(xirr(0xff, Xics.IPI));
        assertThat(lines.raised(1)).isFalse();
        // Accepting makes the interrupt's priority the CPPR.
        assertThat(xics.xirr(1)).isEqualTo(xirr(5, 0));
        xics.setMfrr(1, 0xff);
        xics.eoi(1, xirr(0xff, Xics.IPI));
        assertThat(xics.xirr(1)).isEqualTo(xirr(0xff, 0));
        assertThat(lines.raised(1)).isFalse();
    }

    @Test
    void ipiNotClearedBeforeEoiIsPresentedAgain() {
        xics.setCppr(0, 0xff);
        xics.setMfrr(0, 5);
        xics.accept(0);
        xics.eoi(0, xirr(0xff, Xics.IPI));
        assertThat(lines.raised(0)).as("MFRR still more favoured than the restored CPPR").isTrue();
        assertThat(xics.xirr(0)).isEqualTo(xirr(0xff, Xics.IPI));
    }

    @Test
    void cpprMasksLessFavouredSourcesUntilRaised() {
        xics.setXive(0x1100, 0, 5);
        xics.setCppr(0, 5);
        msi.set(true);
        assertThat(lines.raised(0)).as("priority 5 is not more favoured than CPPR 5").isFalse();
        xics.setCppr(0, 6);
        assertThat(lines.raised(0)).as("the rejected MSI is resent when the CPPR opens").isTrue();
        assertThat(xics.accept(0)).isEqualTo(xirr(6, 0x1100));
    }

    @Test
    void resetMasksEverything() {
        xics.setCppr(0, 0xff);
        xics.setXive(0x1100, 0, 5);
        xics.reset();
        msi.set(true);
        assertThat(lines.raised(0)).isFalse();
        assertThat(xics.xive(0x1100)).containsExactly(0, 0xff);
        assertThat(xics.xirr(0)).isZero();
        assertThat(xics.mfrr(0)).isEqualTo(0xff);
    }

    @Test
    void moreFavouredSourcePreemptsAndTheOtherIsResentAfterEoi() {
        InterruptLine other = xics.claim(0x1101, false);
        xics.setXive(0x1100, 0, 5);
        xics.setXive(0x1101, 0, 3);
        xics.setCppr(0, 0xff);
        msi.set(true);
        other.set(true);
        assertThat(xics.xirr(0)).isEqualTo(xirr(0xff, 0x1101));
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, 0x1101));
        // CPPR is now 3: the rejected priority-5 source waits.
        assertThat(lines.raised(0)).isFalse();
        xics.eoi(0, xirr(0xff, 0x1101));
        assertThat(lines.raised(0)).isTrue();
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, 0x1100));
    }

    @Test
    void lessFavouredSourceIsRejectedWhileAnotherIsPending() {
        InterruptLine other = xics.claim(0x1101, false);
        xics.setXive(0x1100, 0, 3);
        xics.setXive(0x1101, 0, 5);
        xics.setCppr(0, 0xff);
        msi.set(true);
        other.set(true);
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, 0x1100));
        xics.eoi(0, xirr(0xff, 0x1100));
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, 0x1101));
    }

    @Test
    void loweringCpprBelowThePendingInterruptRejectsItAndRaisingItResends() {
        xics.setXive(0x1100, 0, 5);
        xics.setCppr(0, 0xff);
        msi.set(true);
        assertThat(lines.raised(0)).isTrue();
        xics.setCppr(0, 4);
        assertThat(lines.raised(0)).isFalse();
        assertThat(xics.xirr(0)).isEqualTo(xirr(4, 0));
        xics.setCppr(0, 0xff);
        assertThat(lines.raised(0)).isTrue();
        assertThat(xics.xirr(0)).isEqualTo(xirr(0xff, 0x1100));
    }

    @Test
    void levelSourceIsPresentedAgainAfterEoiWhileAsserted() {
        xics.setXive(0x1200, 1, 4);
        xics.setCppr(1, 0xff);
        lsi.set(true);
        assertThat(xics.accept(1)).isEqualTo(xirr(0xff, 0x1200));
        xics.eoi(1, xirr(0xff, 0x1200));
        assertThat(lines.raised(1)).as("still asserted").isTrue();
        assertThat(xics.accept(1)).isEqualTo(xirr(0xff, 0x1200));
        lsi.set(false);
        xics.eoi(1, xirr(0xff, 0x1200));
        assertThat(lines.raised(1)).isFalse();
        assertThat(xics.xirr(1)).isEqualTo(xirr(0xff, 0));
    }

    @Test
    void messageSourceFiresOncePerEdge() {
        xics.setXive(0x1100, 1, 4);
        xics.setCppr(1, 0xff);
        msi.pulse();
        assertThat(xics.accept(1)).isEqualTo(xirr(0xff, 0x1100));
        xics.eoi(1, xirr(0xff, 0x1100));
        assertThat(lines.raised(1)).as("an edge is not presented twice").isFalse();
    }

    @Test
    void maskedMessageIsRememberedUntilUnmasked() {
        xics.setCppr(0, 0xff);
        xics.setXive(0x1100, 0, 6);
        xics.mask(0x1100);
        assertThat(xics.xive(0x1100)).containsExactly(0, 0xff);
        msi.pulse();
        assertThat(lines.raised(0)).isFalse();
        xics.unmask(0x1100);
        assertThat(xics.xive(0x1100)).containsExactly(0, 6);
        assertThat(lines.raised(0)).isTrue();
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, 0x1100));
    }

    @Test
    void assertedLevelSourceIsPresentedWhenItsXiveIsSet() {
        xics.setCppr(1, 0xff);
        lsi.set(true);
        assertThat(lines.raised(1)).isFalse();
        xics.setXive(0x1200, 1, 5);
        assertThat(lines.raised(1)).isTrue();
    }

    @Test
    void sourceMovesToAnotherServer() {
        xics.setCppr(0, 0xff);
        xics.setCppr(1, 0xff);
        xics.setXive(0x1100, 1, 5);
        msi.pulse();
        assertThat(lines.raised(0)).isFalse();
        assertThat(lines.raised(1)).isTrue();
    }

    @Test
    void ipiWaitsBehindMoreFavouredSource() {
        xics.setCppr(0, 0xff);
        xics.setXive(0x1100, 0, 2);
        msi.pulse();
        xics.setMfrr(0, 5);
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, 0x1100));
        xics.eoi(0, xirr(0xff, 0x1100));
        assertThat(xics.accept(0)).isEqualTo(xirr(0xff, Xics.IPI));
    }

    @Test
    void claimsAreCheckedAndUnique() {
        assertThatThrownBy(() -> xics.claim(0x1100, false)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> xics.claim(0xfff, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> xics.claim(0x2000, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(xics.isClaimed(0x1200)).isTrue();
        assertThat(xics.isClaimed(0x1300)).isFalse();
    }

    @Test
    void ipisBetweenTwoThreadsNeverLoseTheControllerState() throws Exception {
        int rounds = 20_000;
        xics.setCppr(0, 0xff);
        xics.setCppr(1, 0xff);
        Runnable[] sides = new Runnable[2];
        for (int me = 0; me < 2; me++) {
            int self = me;
            int peer = 1 - me;
            sides[me] = () -> {
                for (int i = 0; i < rounds; i++) {
                    xics.setMfrr(peer, 5);
                    int x = xics.accept(self);
                    if ((x & 0xffffff) == Xics.IPI) {
                        xics.setMfrr(self, 0xff);
                    }
                    xics.eoi(self, x);
                }
            };
        }
        Thread t0 = new Thread(sides[0]);
        Thread t1 = new Thread(sides[1]);
        t0.start();
        t1.start();
        t0.join();
        t1.join();
        // Drain what is left: at most one IPI per side.
        for (int s = 0; s < 2; s++) {
            xics.setMfrr(s, 0xff);
            int x = xics.accept(s);
            xics.eoi(s, (x & 0xffffff) | 0xff << 24);
            assertThat(xics.xirr(s)).isEqualTo(xirr(0xff, 0));
            assertThat(lines.raised(s)).isFalse();
        }
    }
}
