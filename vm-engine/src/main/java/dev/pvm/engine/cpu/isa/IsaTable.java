package dev.pvm.engine.cpu.isa;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded, validated instruction table: rows ({@link InsnPattern}), extended mnemonics, fields and forms.
 * Immutable; one instance serves every vCPU and every machine in the JVM.
 */
public final class IsaTable {

    /** Classpath location of the ppc64 table. */
    public static final String PPC64_RESOURCE = "/dev/pvm/engine/cpu/isa/ppc64.isa";

    private final String source;
    private final List<InsnPattern> patterns;
    private final Map<String, InsnPattern> byMnemonic;
    private final List<Alias> aliases;
    private final List<List<Alias>> aliasesByPattern;
    private final Map<String, Field> fields;
    private final Map<String, Form> forms;

    IsaTable(String source, List<InsnPattern> patterns, List<Alias> aliases, Map<String, Field> fields,
            Map<String, Form> forms) {
        this.source = source;
        this.patterns = List.copyOf(patterns);
        Map<String, InsnPattern> names = new LinkedHashMap<>();
        for (InsnPattern p : patterns) {
            names.put(p.mnemonic(), p);
        }
        this.byMnemonic = Collections.unmodifiableMap(names);
        this.aliases = List.copyOf(aliases);
        List<List<Alias>> perPattern = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            perPattern.add(new ArrayList<>());
        }
        for (Alias a : aliases) {
            perPattern.get(a.base().id()).add(a);
        }
        this.aliasesByPattern = perPattern.stream().map(List::copyOf).toList();
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.forms = Collections.unmodifiableMap(new LinkedHashMap<>(forms));
    }

    /** The ppc64 table shipped in the engine, loaded once. */
    public static IsaTable ppc64() {
        return Ppc64Holder.TABLE;
    }

    private static final class Ppc64Holder {
        static final IsaTable TABLE = load(PPC64_RESOURCE);
    }

    /**
     * Loads and validates a table from the classpath.
     *
     * @throws IsaTableException when it is malformed or ambiguous
     */
    public static IsaTable load(String resource) {
        try (InputStream in = IsaTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IsaTableException(resource, 0, "instruction table not found on the classpath");
            }
            // Included files sit beside the main table on the classpath.
            String directory = resource.substring(0, resource.lastIndexOf('/') + 1);
            return new IsaTableParser(resource, name -> readResource(directory + name))
                    .parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String readResource(String resource) {
        try (InputStream in = IsaTable.class.getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * Parses and validates table text.
     *
     * @param sourceName names the text in error messages
     * @throws IsaTableException when it is malformed or ambiguous
     */
    public static IsaTable parse(String text, String sourceName) {
        return new IsaTableParser(sourceName).parse(text);
    }

    public String source() {
        return source;
    }

    /** Every row, in table order; a row's index is its {@link InsnPattern#id()}. */
    public List<InsnPattern> patterns() {
        return patterns;
    }

    public int size() {
        return patterns.size();
    }

    public InsnPattern pattern(int id) {
        return patterns.get(id);
    }

    /**
     * The row with this mnemonic (upper case, as the table writes it).
     *
     * @throws IllegalArgumentException when there is none
     */
    public InsnPattern pattern(String mnemonic) {
        InsnPattern p = byMnemonic.get(mnemonic);
        if (p == null) {
            throw new IllegalArgumentException("no instruction " + mnemonic + " in " + source);
        }
        return p;
    }

    /** The row with this mnemonic, or null. */
    public InsnPattern findPattern(String mnemonic) {
        return byMnemonic.get(mnemonic);
    }

    /** Every extended mnemonic in table order. */
    public List<Alias> aliases() {
        return aliases;
    }

    /** The extended mnemonics of one row, in the order they are tried. */
    public List<Alias> aliasesOf(InsnPattern pattern) {
        return aliasesByPattern.get(pattern.id());
    }

    /** Declared fields by name ({@code rt}, or {@code MD.sh} for form-scoped ones). */
    public Map<String, Field> fields() {
        return fields;
    }

    public Map<String, Form> forms() {
        return forms;
    }
}
