package dev.pvm.engine.linuxuser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The ppc64 system call numbers by name, from arch/powerpc/kernel/syscalls/syscall.tbl (the 64-bit ABI's
 * entries), kept as the resource {@code ppc64-syscalls.tsv}. Handlers are registered by name, so a number is
 * written down exactly once; the reverse map names unsupported calls in the runner's report.
 */
public final class SyscallTable {

    private static final String RESOURCE = "/dev/pvm/engine/linuxuser/ppc64-syscalls.tsv";
    private static final SyscallTable PPC64 = load();

    private final Map<String, Integer> numbers;
    private final Map<Integer, String> names;

    private SyscallTable(Map<String, Integer> numbers) {
        this.numbers = Map.copyOf(numbers);
        Map<Integer, String> reverse = new HashMap<>();
        numbers.forEach((name, nr) -> reverse.putIfAbsent(nr, name));
        this.names = Map.copyOf(reverse);
    }

    public static SyscallTable ppc64() {
        return PPC64;
    }

    private static SyscallTable load() {
        Map<String, Integer> numbers = new HashMap<>();
        try (InputStream in = SyscallTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                if (parts.length != 2) {
                    throw new IllegalStateException(RESOURCE + ": malformed line '" + line + "'");
                }
                if (numbers.put(parts[0], Integer.parseInt(parts[1])) != null) {
                    throw new IllegalStateException(RESOURCE + ": " + parts[0] + " listed twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new SyscallTable(numbers);
    }

    /** The number of system call {@code name}. */
    public int number(String name) {
        Integer nr = numbers.get(name);
        if (nr == null) {
            throw new IllegalArgumentException("no ppc64 system call named " + name);
        }
        return nr;
    }

    public OptionalInt find(String name) {
        Integer nr = numbers.get(name);
        return nr == null ? OptionalInt.empty() : OptionalInt.of(nr);
    }

    /** The name of system call {@code nr}, or "syscall_NR" when the table has none. */
    public String name(long nr) {
        String n = nr >= 0 && nr < Integer.MAX_VALUE ? names.get((int) nr) : null;
        return n != null ? n : "syscall_" + nr;
    }
}
