package dev.pvm.engine.cpu.runtime;

import dev.pvm.engine.cpu.CpuState;

/**
 * The guest-memory entry points a translated unit calls, one per access size and byte order. Each kind of
 * guest memory has its own implementation with its own inline fast path ({@link TranslatorRuntime}: the
 * pseries machine's real-mode RAM; the Linux user-mode runner's flat address space), and the same slow path:
 * the interpreter's storage access, so faults and their state are the interpreter's.
 *
 * <p>Generated code calls the implementation's class directly (it is final), so HotSpot sees one receiver
 * at every call site and inlines the fast path. Implementations declare every method
 * {@link HelperEffect.Effect#MEMORY}; the {@code le}/{@code be} suffix is the access's byte order.
 */
public interface UnitMemory {

    int load8(CpuState cpu, long ea);

    int load16be(CpuState cpu, long ea);

    int load16le(CpuState cpu, long ea);

    int load32be(CpuState cpu, long ea);

    int load32le(CpuState cpu, long ea);

    long load64be(CpuState cpu, long ea);

    long load64le(CpuState cpu, long ea);

    void store8(CpuState cpu, long ea, long value);

    void store16be(CpuState cpu, long ea, long value);

    void store16le(CpuState cpu, long ea, long value);

    void store32be(CpuState cpu, long ea, long value);

    void store32le(CpuState cpu, long ea, long value);

    void store64be(CpuState cpu, long ea, long value);

    void store64le(CpuState cpu, long ea, long value);
}
