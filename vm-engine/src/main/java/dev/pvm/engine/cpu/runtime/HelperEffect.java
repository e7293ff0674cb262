package dev.pvm.engine.cpu.runtime;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a method called from translated code touches (QEMU's helper flags, style.md 4.7 and 10.7). The
 * translator reads it when it emits the call: it writes the guest registers it keeps in JVM locals back to
 * {@code CpuState} before a helper that reads them, and reloads them after one that writes them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface HelperEffect {

    Effect value();

    enum Effect {
        /** A function of its arguments only. Nothing to spill. */
        PURE,
        /**
         * Reads only CPU mode bits that translated code never changes (MSR) and guest memory; may throw a guest
         * fault. Nothing to spill: the unit's fault handler writes the registers back before raising.
         */
        MEMORY,
        /**
         * Reads MSR and reads and writes XER's bits (CA, CA32, OV, OV32, SO), which translated code keeps in
         * {@code CpuState}, never in locals. Nothing to spill.
         */
        XER,
        /**
         * Reads and writes the VSRs (and VSCR) in {@code CpuState}, which translated code never keeps in locals.
         * Nothing to spill.
         */
        VECTOR,
        /** Reads and writes any architected register: spill everything before, reload everything after. */
        CPU_STATE;

        public boolean spillsBefore() {
            return this == CPU_STATE;
        }

        public boolean reloadsAfter() {
            return this == CPU_STATE;
        }
    }
}
