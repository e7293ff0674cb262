package dev.pvm.device.reservation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.device.DeviceConflictException;
import dev.pvm.device.InvalidFieldException;
import dev.pvm.device.ReservationStoreException;
import dev.pvm.device.UnknownDeviceException;
import dev.pvm.device.host.DeviceKind;
import dev.pvm.device.host.HostDevice;
import dev.pvm.device.host.HostInventory;
import dev.pvm.device.host.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReservationBookTest {
  @TempDir Path dir;

  /** Devices 0000:00:dd.0; groups of {@code groupSize} consecutive devices. */
  static HostInventory inventory(int devices, int groupSize) {
    List<HostDevice> list = new ArrayList<>();
    for (int i = 0; i < devices; i++) {
      list.add(new HostDevice(address(i), 0x10de, 0x1db1, 0x030200, 0xa1, 0, false, 0, "vfio-pci",
          i / groupSize, DeviceKind.GPU, Optional.empty()));
    }
    return HostInventory.of("test", list);
  }

  static PciAddress address(int i) {
    return new PciAddress(0, i / 32, i % 32, 0);
  }

  @Test
  void reservingOneDeviceTakesItsWholeIommuGroup() {
    ReservationBook book = new ReservationBook(inventory(4, 2), new ReservationSnapshotFile(dir));
    List<HostDevice> got = book.reserve("vm-a", List.of(address(1)));
    assertThat(got).extracting(HostDevice::address).containsExactly(address(0), address(1));
    assertThat(book.holders()).containsOnlyKeys(address(0), address(1));

    assertThatThrownBy(() -> book.reserve("vm-b", List.of(address(0))))
        .isInstanceOf(DeviceConflictException.class)
        .hasMessageContaining("reserved by VM vm-a")
        .hasMessageContaining("IOMMU group 0");
  }

  @Test
  void aConflictOnAGroupCompanionNamesTheGroupAndHolder() {
    HostInventory inventory = inventory(4, 2);
    ReservationBook book = new ReservationBook(inventory, new ReservationSnapshotFile(dir));
    book.reserve("vm-a", List.of(address(2)));
    assertThatThrownBy(() -> book.reserve("vm-b", List.of(address(0), address(3))))
        .isInstanceOf(DeviceConflictException.class)
        .hasMessageContaining("IOMMU group 1")
        .hasMessageContaining("vm-a")
        .satisfies(e -> assertThat(((DeviceConflictException) e).iommuGroup()).isEqualTo(1));
    // All or nothing: vm-b got nothing, not even the free group 0.
    assertThat(book.holders()).doesNotContainValue("vm-b");
  }

  @Test
  void reservingAgainIsIdempotentAndAddsToWhatTheVmHolds() throws Exception {
    ReservationSnapshotFile file = new ReservationSnapshotFile(dir);
    ReservationBook book = new ReservationBook(inventory(4, 1), file);
    book.reserve("vm-a", List.of(address(0)));
    String before = Files.readString(file.path());
    assertThat(book.reserve("vm-a", List.of(address(0)))).extracting(HostDevice::address)
        .containsExactly(address(0));
    assertThat(Files.readString(file.path())).isEqualTo(before); // no write for a no-op
    book.reserve("vm-a", List.of(address(1)));
    assertThat(book.holders()).containsOnlyKeys(address(0), address(1));
  }

  @Test
  void releaseFreesEverythingOfTheVm() {
    ReservationBook book = new ReservationBook(inventory(4, 1), new ReservationSnapshotFile(dir));
    book.reserve("vm-a", List.of(address(0), address(2)));
    book.reserve("vm-b", List.of(address(1)));
    assertThat(book.release("vm-a")).containsExactly(address(0), address(2));
    assertThat(book.release("vm-a")).isEmpty();
    assertThat(book.holders()).containsExactly(Map.entry(address(1), "vm-b"));
  }

  @Test
  void reservationsSurviveARestart() {
    HostInventory inventory = inventory(4, 1);
    ReservationBook book = new ReservationBook(inventory, new ReservationSnapshotFile(dir));
    book.reserve("vm-a", List.of(address(3)));
    book.reserve("vm-b", List.of(address(0)));
    book.release("vm-b");
    ReservationBook reopened = new ReservationBook(inventory, new ReservationSnapshotFile(dir));
    assertThat(reopened.holders()).containsExactly(Map.entry(address(3), "vm-a"));
  }

  @Test
  void rejectsUnknownDevicesAndMissingVmIds() {
    ReservationBook book = new ReservationBook(inventory(2, 1), new ReservationSnapshotFile(dir));
    assertThatThrownBy(() -> book.reserve("vm-a", List.of(address(0), address(9))))
        .isInstanceOf(UnknownDeviceException.class)
        .hasMessageContaining("0000:00:09.0")
        .satisfies(e -> assertThat(((UnknownDeviceException) e).field()).isEqualTo("addresses[1]"));
    assertThatThrownBy(() -> book.reserve(" ", List.of(address(0))))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("vm_id");
    assertThatThrownBy(() -> book.reserve("vm-a", List.of()))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("addresses");
    assertThat(book.holders()).isEmpty();
  }

  @Test
  void aCorruptFileIsReportedNotIgnored() throws Exception {
    HostInventory inventory = inventory(2, 1);
    ReservationSnapshotFile file = new ReservationSnapshotFile(dir);
    new ReservationBook(inventory, file).reserve("vm-a", List.of(address(0)));
    byte[] bytes = Files.readAllBytes(file.path());
    bytes[bytes.length - 3] ^= 0x20; // flip a bit in the payload
    Files.write(file.path(), bytes);
    assertThatThrownBy(() -> new ReservationBook(inventory, file))
        .isInstanceOf(ReservationStoreException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aLeftoverTemporaryFileIsAnUncommittedWriteAndIsDiscarded() throws Exception {
    HostInventory inventory = inventory(2, 1);
    new ReservationBook(inventory, new ReservationSnapshotFile(dir)).reserve("vm-a", List.of(address(0)));
    Files.writeString(dir.resolve("reservations.json.tmp"), "pvm-device-reservations v1 crc32c=0000");
    ReservationBook reopened = new ReservationBook(inventory, new ReservationSnapshotFile(dir));
    assertThat(reopened.holders()).containsExactly(Map.entry(address(0), "vm-a"));
    assertThat(dir.resolve("reservations.json.tmp")).doesNotExist();
  }

  @Test
  void hundredConcurrentConflictingReservationsHaveExactlyOneWinnerPerDevice() throws Exception {
    int devices = 24;
    HostInventory inventory = inventory(devices, 2); // 12 groups of 2
    ReservationBook book = new ReservationBook(inventory, new ReservationSnapshotFile(dir));
    Map<PciAddress, String> announced = new ConcurrentHashMap<>();
    book.addListener((a, holder) -> holder.ifPresent(vm -> {
      String previous = announced.putIfAbsent(a, vm);
      assertThat(previous).as("device %s announced twice", a).isNull();
    }));
    Random random = new Random(5);
    Map<String, List<PciAddress>> requests = new HashMap<>();
    for (int vm = 0; vm < 100; vm++) {
      List<PciAddress> want = new ArrayList<>();
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        want.add(address(random.nextInt(devices)));
      }
      requests.put("vm-" + vm, want);
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Map<String, Future<List<HostDevice>>> results = new HashMap<>();
    try {
      requests.forEach((vm, want) -> results.put(vm, pool.submit(() -> {
        start.await();
        return book.reserve(vm, want);
      })));
      start.countDown();
      Map<String, List<PciAddress>> winners = new HashMap<>();
      for (Map.Entry<String, Future<List<HostDevice>>> r : results.entrySet()) {
        try {
          winners.put(r.getKey(), r.getValue().get().stream().map(HostDevice::address).toList());
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(DeviceConflictException.class);
        }
      }
      Map<PciAddress, String> holders = book.holders();
      // Every winner holds all it asked for plus group companions; every loser holds nothing.
      for (String vm : requests.keySet()) {
        List<PciAddress> held = holders.entrySet().stream().filter(e -> e.getValue().equals(vm))
            .map(Map.Entry::getKey).toList();
        if (winners.containsKey(vm)) {
          assertThat(held).containsExactlyInAnyOrderElementsOf(winners.get(vm));
          assertThat(held).containsAll(requests.get(vm));
        } else {
          assertThat(held).isEmpty();
        }
      }
      // Each device has at most one holder by construction; no winner's device is missing or shared.
      long claimed = winners.values().stream().mapToLong(List::size).sum();
      assertThat(claimed).isEqualTo(holders.size());
      assertThat(announced).isEqualTo(holders);
      // Groups are never split.
      for (int g = 0; g < devices / 2; g++) {
        assertThat(holders.get(address(2 * g))).isEqualTo(holders.get(address(2 * g + 1)));
      }
      // Nothing lost on disk.
      assertThat(new ReservationSnapshotFile(dir).load().reservations()).isEqualTo(holders);
    } finally {
      pool.shutdownNow();
    }
  }
}
