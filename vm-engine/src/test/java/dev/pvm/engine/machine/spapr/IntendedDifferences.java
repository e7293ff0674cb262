package dev.pvm.engine.machine.spapr;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked-in list of the ways our device trees intentionally differ from QEMU's, one per line:
 * {@code KIND PATH [PROPERTY] [only=SCENARIO-GLOB] : reason}, where KIND is a {@link DeviceTreeDifference.Kind}
 * spelling and PATH, PROPERTY and the scenario may use {@code *} as a wildcard. Blank lines and lines starting
 * with {@code #} are comments. Every entry needs a reason.
 */
final class IntendedDifferences {

    record Entry(int line, DeviceTreeDifference.Kind kind, Pattern path, Pattern property, Pattern scenario,
            String reason, String text) {

        boolean matches(String scenarioName, DeviceTreeDifference d) {
            return d.kind() == kind && path.matcher(d.path()).matches() && property.matcher(d.property()).matches()
                    && scenario.matcher(scenarioName).matches();
        }
    }

    private final List<Entry> entries;
    private final Set<Entry> used = new HashSet<>();

    private IntendedDifferences(List<Entry> entries) {
        this.entries = entries;
    }

    static IntendedDifferences parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(" : ");
            if (colon < 0 || line.substring(colon + 3).isBlank()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": no ' : reason': " + line);
            }
            String[] fields = line.substring(0, colon).trim().split("\\s+");
            DeviceTreeDifference.Kind kind = null;
            for (DeviceTreeDifference.Kind k : DeviceTreeDifference.Kind.values()) {
                if (k.spelling.equals(fields[0])) {
                    kind = k;
                }
            }
            if (kind == null || fields.length < 2) {
                throw new IllegalArgumentException("line " + (i + 1) + ": expected KIND PATH ...: " + line);
            }
            String property = "";
            String scenario = "*";
            for (int f = 2; f < fields.length; f++) {
                if (fields[f].startsWith("only=")) {
                    scenario = fields[f].substring(5);
                } else {
                    property = fields[f];
                }
            }
            entries.add(new Entry(i + 1, kind, glob(fields[1]), glob(property), glob(scenario),
                    line.substring(colon + 3).trim(), line));
        }
        return new IntendedDifferences(entries);
    }

    private static Pattern glob(String g) {
        List<String> parts = new ArrayList<>();
        for (String part : g.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts));
    }

    /** Whether an entry explains the difference (and remembers that the entry was needed). */
    boolean explains(String scenario, DeviceTreeDifference d) {
        for (Entry e : entries) {
            if (e.matches(scenario, d)) {
                used.add(e);
                return true;
            }
        }
        return false;
    }

    /** Entries no difference needed: stale, to be removed. */
    List<String> unused() {
        return entries.stream().filter(e -> !used.contains(e)).map(e -> "line " + e.line() + ": " + e.text())
                .toList();
    }
}
