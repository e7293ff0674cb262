package dev.pvm.device.reservation;

import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs in a separate JVM for {@link ReservationCrashTest}: alternately reserves and releases, printing an
 * acknowledgement after each call returns ("R n" / "F n"), until it is killed.
 *
 * <p>Step n reserves device n % 8 for VM "vm-n"; devices form IOMMU groups of two, so each reservation writes
 * two entries that must appear together or not at all.
 */
public final class ReservationCrashWorker {
  static final int DEVICES = 8;

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long step = Long.parseLong(args[1]);
    HostInventory inventory = ReservationBookTest.inventory(DEVICES, 2);
    ReservationBook book = new ReservationBook(inventory, new ReservationSnapshotFile(dir));
    System.out.println("S " + step);
    System.out.flush();
    for (long n = step; ; n++) {
      List<HostDevice> got = book.reserve("vm-" + n, List.of(ReservationBookTest.address((int) (n % DEVICES))));
      System.out.println("R " + n + " " + got.size());
      System.out.flush();
      book.release("vm-" + n);
      System.out.println("F " + n);
      System.out.flush();
    }
  }
}
