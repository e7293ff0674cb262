package dev.pvm.device.simulated;

import dev.pvm.device.HostDescriptionException;
import dev.pvm.device.catalog.AtsdLaunchCounter;
import dev.pvm.device.host.PciAddress;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ATSD registers of the simulated NPUs. Each bridge with ATSD has a one-page backing file
 * ({@code backing/<address>.atsd}) that an engine maps into the guest (through VFIO's mmap of the ATSD region,
 * which maps the same file). The registers sit where Linux's npu-dma.c puts them: LAUNCH at offset 0, AVA at 8,
 * STAT at 16.
 *
 * <p>Counting protocol: a write of a non-zero value to LAUNCH starts an invalidation. The NPU polls every page;
 * when LAUNCH is non-zero it counts one launch, sets STAT to 0 (invalidation complete) and clears LAUNCH to 0 with
 * an atomic compare-and-set, so a new launch written meanwhile is never erased and is counted on the next poll.
 * A second write while LAUNCH is still non-zero (not yet consumed) counts once, like a busy register; a writer
 * that needs every launch counted waits for LAUNCH to read 0 again. Counts are in memory and show in
 * {@code Device.atsd_launches}.
 */
public final class SimulatedNpu implements AtsdLaunchCounter, AutoCloseable {
  public static final long LAUNCH = 0;
  public static final long AVA = 8;
  public static final long STAT = 16;

  private static final VarHandle U64 = ValueLayout.JAVA_LONG.varHandle();

  private final Arena arena = Arena.ofShared();
  private final Map<PciAddress, MemorySegment> pages = new LinkedHashMap<>();
  private final Map<PciAddress, AtomicLong> launches = new LinkedHashMap<>();
  private ScheduledExecutorService poller;
  private boolean closed;

  public SimulatedNpu(SimulatedHostLayout layout) {
    for (SimulatedHostLayout.Bridge b : layout.bridges()) {
      if (b.atsdSize() == 0) {
        continue;
      }
      try (FileChannel ch = FileChannel.open(b.backingFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        pages.put(b.address(), ch.map(FileChannel.MapMode.READ_WRITE, 0, b.atsdSize(), arena));
        launches.put(b.address(), new AtomicLong());
      } catch (IOException e) {
        arena.close();
        throw new HostDescriptionException("cannot map ATSD page " + b.backingFile() + ": " + e.getMessage(), e);
      }
    }
  }

  /** Polls every ATSD page every {@code interval} on a daemon thread until {@link #close}. */
  public synchronized SimulatedNpu start(Duration interval) {
    if (poller == null && !pages.isEmpty()) {
      poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-npu-atsd");
        t.setDaemon(true);
        return t;
      });
      long nanos = Math.max(interval.toNanos(), 100_000);
      poller.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
    }
    return this;
  }

  /** One pass over all pages; returns how many launches it consumed. */
  public synchronized int poll() {
    int consumed = 0;
    if (closed) {
      return 0;
    }
    for (Map.Entry<PciAddress, MemorySegment> page : pages.entrySet()) {
      MemorySegment s = page.getValue();
      long launch = (long) U64.getVolatile(s, LAUNCH);
      if (launch != 0) {
        U64.setVolatile(s, STAT, 0L);
        if (U64.compareAndSet(s, LAUNCH, launch, 0L)) {
          launches.get(page.getKey()).incrementAndGet();
          consumed++;
        }
      }
    }
    return consumed;
  }

  @Override
  public long launches(PciAddress bridge) {
    AtomicLong count = launches.get(bridge);
    return count == null ? 0 : count.get();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
    arena.close();
  }
}
