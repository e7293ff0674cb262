package dev.pvm.engine.cpu.translate;

import java.util.Locale;

/**
 * Not a test: guest instructions per second of the thread's CPU time, interpreter vs decoded units (the cold tier, never translated here)
 * vs translator, on loop-heavy hand-assembled guests. The engine's boot runs C1 only: add
 * {@code -XX:TieredStopAtLevel=1} to measure what a boot sees.
 * Run after {@code ./mvnw -o -q -B test-compile -pl vm-engine}:
 *
 * <pre>
 * java -cp vm-engine/target/classes:vm-engine/target/test-classes:$HOME/.m2/repository/org/ow2/asm/asm/9.11.1/asm-9.11.1.jar \
 *     dev.pvm.engine.cpu.translate.TranslatorBenchmark
 * </pre>
 */
public final class TranslatorBenchmark {

    private static final long BUFFER = GuestFixture.DATA;
    private static final int LENGTH = 4096;

    private TranslatorBenchmark() {
    }

    /** Bitwise CRC-32 (reflected, polynomial 0xEDB88320) over the buffer, forever; r5 holds the CRC. */
    static void crc32(GuestFixture f) {
        f.code("addis r6,0,0", "ori r6,r6,0x8320", "oris r6,r6,0xedb8");
        long outer = f.next();
        f.code("addis r3,0," + (BUFFER >>> 16), "ori r3,r3," + (BUFFER & 0xffff), "addi r4,0," + LENGTH,
                "addi r5,0,-1", "rldicl r5,r5,0,32");
        long byteLoop = f.next();
        f.code("lbz r7,0(r3)", "xor r5,r5,r7", "addi r8,0,8", "mtspr 9,r8");
        long bitLoop = f.next();
        f.code("rldicl r9,r5,0,63", "neg r9,r9", "and r9,r9,r6", "rldicl r5,r5,63,1", "xor r5,r5,r9",
                "bc 16,0," + bitLoop, "addi r3,r3,1", "addi r4,r4,-1", "cmpi 0,1,r4,0", "bc 4,2," + byteLoop,
                "std r5,-8(r3)");
        f.code("b " + outer);
    }

    /** Sums doublewords through a call per element (bl/blr) and writes running sums back: loads, stores, calls. */
    static void sumWithCalls(GuestFixture f) {
        long function = GuestFixture.CODE + 0x800;
        long outer = f.next();
        f.code("addis r3,0," + (BUFFER >>> 16), "ori r3,r3," + (BUFFER & 0xffff), "addi r4,0," + (LENGTH / 8),
                "mtspr 9,r4", "addi r5,0,0");
        long loop = f.next();
        f.code("ld r7,0(r3)", "bl " + function, "std r5,0(r3)", "addi r3,r3,8", "bc 16,0," + loop, "b " + outer);
        long save = f.next();
        f.memory.store32(function, f.assemble("add r5,r5,r7", function), f.order());
        f.memory.store32(function + 4, f.assemble("rldicl r5,r5,1,0", function + 4), f.order());
        f.memory.store32(function + 8, f.assemble("bclr 20,0", function + 8), f.order());
        if (save > function) {
            throw new IllegalStateException("code overlaps the function");
        }
    }

    private static double mips(ExecutionMode mode, java.util.function.Consumer<GuestFixture> program, long insns) {
        return mips(mode, 0, program, insns);
    }

    /** @param translateAfter the translator's threshold (Integer.MAX_VALUE: decoded units only) */
    private static double mips(ExecutionMode mode, int translateAfter, java.util.function.Consumer<GuestFixture> program,
            long insns) {
        try (GuestFixture f = new GuestFixture(mode, true)) {
            if (translateAfter > 0) {
                ((TranslatorExecutor) f.executor).translateAfter(translateAfter);
            }
            program.accept(f);
            f.run(insns / 10); // warm-up: translation and JIT compilation
            // The thread's CPU time, not the wall clock: the hosts these run on are shared.
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            long done = 0;
            while (done < insns) {
                done += f.run(insns - done);
                if (f.cpu.pendingInterrupt != null) {
                    throw new IllegalStateException("guest stopped: " + f.cpu.pendingInterrupt.describe());
                }
            }
            double seconds = (threads.getCurrentThreadCpuTime() - start) / 1e9;
            return done / seconds / 1e6;
        }
    }

    /**
     * gcc -O2 code: benchmarks/freestanding/kernels.c (table CRC-32 and quicksort), built by its build.sh into a
     * flat image for address 0x10000.
     */
    static java.util.function.Consumer<GuestFixture> compiled(java.nio.file.Path image) {
        return f -> {
            try {
                f.memory.write(0x10000, java.nio.file.Files.readAllBytes(image));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            f.cpu.nia = 0x10000; // main, which never returns
            f.cpu.gpr[12] = 0x10000;
            f.cpu.gpr[1] = 0xF0000;
        };
    }

    public static void main(String[] args) {
        long interpInsns = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
        long transInsns = args.length > 1 ? Long.parseLong(args[1]) : 500_000_000L;
        java.nio.file.Path image = java.nio.file.Path.of(args.length > 2 ? args[2]
                : "benchmarks/freestanding/kernels.bin");
        var programs = new java.util.LinkedHashMap<String, java.util.function.Consumer<GuestFixture>>();
        programs.put("crc32-asm", TranslatorBenchmark::crc32);
        programs.put("sum+calls", TranslatorBenchmark::sumWithCalls);
        // The same with MSR[IR|DR]=1 (radix, EA = real): loads and stores through the softmmu TLB.
        programs.put("sum+c IRDR", f -> {
            sumWithCalls(f);
            f.relocate(0);
        });
        if (java.nio.file.Files.exists(image)) {
            programs.put("gcc-O2", compiled(image));
        } else {
            System.out.println("(no " + image + ": run benchmarks/freestanding/build.sh for the gcc -O2 guest)");
        }
        for (var entry : programs.entrySet()) {
            double i = mips(ExecutionMode.INTERPRETER, entry.getValue(), interpInsns);
            double d = mips(ExecutionMode.TRANSLATOR, Integer.MAX_VALUE, entry.getValue(), interpInsns);
            double t = mips(ExecutionMode.TRANSLATOR, entry.getValue(), transInsns);
            System.out.printf(Locale.ROOT, "%-10s interpreter %8.1f MIPS   decoded %8.1f MIPS (%5.1f ns)   "
                    + "translator %8.1f MIPS   (x%.1f)%n", entry.getKey(), i, d, 1e3 / d, t, t / i);
        }
    }
}
