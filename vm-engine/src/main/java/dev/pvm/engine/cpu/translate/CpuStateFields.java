package dev.pvm.engine.cpu.translate;

import dev.pvm.engine.cpu.CpuState;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Copies and compares the architected state of two {@link CpuState}s field by field, found by reflection over
 * its public instance fields (arrays element by element), so registers added to CpuState later (FP, vector)
 * are covered without touching this class. Lockstep's tool, not a hot path.
 */
final class CpuStateFields {

    /** Fields that describe the run loop rather than the architecture. */
    private static final List<String> IGNORED = List.of("index", "stopRequested", "requests");
    /**
     * Fields copied by reference and not compared: the vCPU's MMU (SLB, TLB) is one object that lockstep's shadow
     * states share with the vCPU, as both executions see the same translations.
     */
    private static final List<String> SHARED = List.of("mmu");

    private static final List<Field> FIELDS = new ArrayList<>();

    static {
        for (Field f : CpuState.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) && !IGNORED.contains(f.getName())) {
                FIELDS.add(f);
            }
        }
    }

    private CpuStateFields() {
    }

    /** Makes {@code to} a copy of {@code from}. */
    static void copy(CpuState from, CpuState to) {
        try {
            for (Field f : FIELDS) {
                Object value = f.get(from);
                if (f.getType().isArray()) {
                    System.arraycopy(value, 0, f.get(to), 0, Array.getLength(value));
                } else if (!Modifier.isFinal(f.getModifiers())) {
                    f.set(to, value);
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "name: expected X, actual Y" for every field that differs. */
    static List<String> differences(CpuState expected, CpuState actual) {
        List<String> out = new ArrayList<>();
        try {
            for (Field f : FIELDS) {
                if (SHARED.contains(f.getName())) {
                    continue;
                }
                Object e = f.get(expected);
                Object a = f.get(actual);
                if (f.getType().isArray()) {
                    for (int i = 0; i < Array.getLength(e); i++) {
                        Object ei = Array.get(e, i);
                        Object ai = Array.get(a, i);
                        if (!ei.equals(ai)) {
                            out.add(String.format("%s[%d]: expected %s, actual %s", f.getName(), i, show(ei), show(ai)));
                        }
                    }
                } else if (!Objects.equals(e, a)) {
                    out.add(String.format("%s: expected %s, actual %s", f.getName(), show(e), show(a)));
                }
            }
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
        return out;
    }

    private static String show(Object v) {
        if (v instanceof Long l) {
            return String.format("0x%x", l);
        }
        if (v instanceof Integer i) {
            return String.format("0x%x", i);
        }
        return String.valueOf(v);
    }
}
