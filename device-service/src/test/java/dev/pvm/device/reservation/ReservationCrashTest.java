package dev.pvm.device.reservation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.device.host.PciAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of reserving and releasing: after a restart the file holds exactly the state
 * after the last acknowledged call or after the one in flight -- never a lost, partial or duplicated reservation.
 */
class ReservationCrashTest {
  @TempDir Path dir;

  @Test
  void stateIsConsistentAfterKillDashNine() throws Exception {
    Random random = new Random(7);
    long step = 0;
    for (int round = 0; round < 3; round++) {
      Process worker = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          ReservationCrashWorker.class.getName(), dir.toString(), Long.toString(step))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      String last = null;
      int acks = 5 + random.nextInt(40);
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(worker.getInputStream(), StandardCharsets.US_ASCII))) {
        assertThat(out.readLine()).isEqualTo("S " + step);
        for (int i = 0; i < acks; i++) {
          last = out.readLine();
          assertThat(last).as("worker output").isNotNull();
          if (last.startsWith("R ")) {
            assertThat(last).endsWith(" 2"); // a whole group each time
          }
        }
        worker.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      SortedMap<PciAddress, String> state = new ReservationSnapshotFile(dir).load().reservations();
      String[] parts = last.split(" ");
      long n = Long.parseLong(parts[1]);
      // Acknowledged "R n": release n may also have committed. Acknowledged "F n": reserve n+1 may have. The
      // worker does not wait for us to read its acknowledgements, so it may have gone further before the kill:
      // any later step m is fine, as long as its reservation is whole (both group members, vm-m's devices).
      long inFlight = parts[0].equals("R") ? n : n + 1;
      long held = state.isEmpty() ? inFlight : heldBy(state);
      assertThat(held).as("the step whose reservation survived the kill").isGreaterThanOrEqualTo(inFlight);
      assertThat(state).satisfiesAnyOf(
          s -> assertThat(s).isEmpty(),
          s -> assertThat(s).isEqualTo(reserved(held)));
      if (!state.isEmpty()) {
        new ReservationBook(ReservationBookTest.inventory(ReservationCrashWorker.DEVICES, 2),
            new ReservationSnapshotFile(dir)).release("vm-" + held);
      }
      // The next worker starts past every step this one may have reached.
      inFlight = Math.max(held, inFlight);
      step = inFlight + 1;
    }
  }

  /** The step n of "vm-n", the holder of a surviving reservation (its first entry's). */
  private static long heldBy(SortedMap<PciAddress, String> state) {
    return Long.parseLong(state.values().iterator().next().substring("vm-".length()));
  }

  /** The state right after step n's reservation: device n % 8 and its group companion held by vm-n. */
  private static Map<PciAddress, String> reserved(long n) {
    int device = (int) (n % ReservationCrashWorker.DEVICES);
    int first = device - device % 2;
    return Map.of(ReservationBookTest.address(first), "vm-" + n, ReservationBookTest.address(first + 1), "vm-" + n);
  }
}
