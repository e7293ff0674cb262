package dev.pvm.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Start-up timestamps on stderr when {@code -Dpvm.startup.trace=true}: at each named phase, the wall milliseconds
 * since the process started, and the CPU milliseconds (user + system) of this thread and of the whole process (JIT
 * and GC threads included), to find where a short run's time goes. Costs one property read otherwise.
 */
public final class StartupPhases {

    private static final boolean ENABLED = Boolean.getBoolean("pvm.startup.trace");
    private static final long MAIN_NANOS = System.nanoTime();
    private static final long MAIN_SINCE_START_MS = ENABLED ? Duration.between(
            ProcessHandle.current().info().startInstant().orElse(Instant.now()), Instant.now()).toMillis() : 0;
    /** Linux's USER_HZ, the unit of /proc's CPU times. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private StartupPhases() {
    }

    /** Records that {@code phase} is reached (prints it when tracing). */
    public static void mark(String phase) {
        if (ENABLED) {
            double ms = MAIN_SINCE_START_MS + (System.nanoTime() - MAIN_NANOS) / 1e6;
            System.err.printf("pvm startup: %8.1f ms wall %6d ms thread CPU %6d ms process CPU  %s%n", ms,
                    cpuMillis("/proc/thread-self/stat"), cpuMillis("/proc/self/stat"), phase);
        }
    }

    /** utime + stime (fields 14 and 15 of proc(5)'s stat) in milliseconds, or -1 where there is no /proc. */
    private static long cpuMillis(String statFile) {
        try {
            String stat = Files.readString(Path.of(statFile));
            // The command name (field 2) may hold spaces; the fields after it start past its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
