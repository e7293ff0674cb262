package dev.pvm.engine.cpu.isa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text form of the instruction table (the syntax is documented at the top of {@code ppc64.isa})
 * and validates it: every bit of every row is accounted for exactly once, field values fit, names resolve,
 * and no two rows outside an overlap group can match the same word.
 */
final class IsaTableParser {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern SCOPED_NAME = Pattern.compile("([A-Z][A-Z0-9]*)\\.([a-z][a-z0-9_]*)");
    private static final Pattern MNEMONIC = Pattern.compile("[A-Z][A-Z0-9]*\\.?");
    private static final Pattern ALIAS_MNEMONIC = Pattern.compile("[A-Z][A-Z0-9]*\\.?[+-]?");
    private static final Pattern FORM_NAME = Pattern.compile("[A-Z][A-Z0-9]*");
    private static final Pattern PIECE = Pattern.compile("(\\d+)(?::(\\d+))?");
    private static final Pattern INLINE_FIELD = Pattern.compile("([a-z][a-z0-9_]*)\\[(\\d+(?::\\d+)?)]");
    private static final Pattern MEMORY = Pattern.compile("([a-z][a-z0-9_]*)\\(([a-z][a-z0-9_]*)(\\|0)?\\)");
    private static final Pattern COMPARISON = Pattern.compile("([^<>=!]+)(==|!=|<=|>=|<|>)([^<>=!]+)");
    private static final Pattern OPTIONAL = Pattern.compile("(.*)\\?(\\d*)");
    private static final Set<String> ATTRIBUTES = Set.of("priv", "fp", "vec", "vsx", "fpvec", "vsxvec");
    /** The primary opcode's bits (0-5). */
    private static final int PRIMARY_OPCODE = 0xfc00_0000;

    /** The file being read; {@code include} switches it for the included text. */
    private String source;
    private final String tableName;
    private final Function<String, String> includes;
    private final Set<String> included = new HashSet<>();
    private final List<String> patternSources = new ArrayList<>();
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private final Map<String, Integer> fieldLines = new HashMap<>();
    private final Map<String, Form> forms = new LinkedHashMap<>();
    private final List<InsnPattern> patterns = new ArrayList<>();
    private final Map<String, InsnPattern> byMnemonic = new HashMap<>();
    private final List<Alias> aliases = new ArrayList<>();
    /** "MNEMONIC BASE" of each alias, to find one declared twice without comparing every pair. */
    private final Set<String> aliasKeys = new HashSet<>();
    private int currentGroup = -1;
    /** The facility the current file's {@code facility} directive gives the rows that follow it. */
    private Facility currentFacility = Facility.NONE;
    private int groupLine;
    private int groupCount;
    private int lineNo;

    IsaTableParser(String source) {
        this(source, name -> null);
    }

    /**
     * @param includes resolves the name in an {@code include NAME} line to that file's text (null: not found)
     */
    IsaTableParser(String source, Function<String, String> includes) {
        this.source = source;
        this.tableName = source;
        this.includes = includes;
    }

    IsaTable parse(String text) {
        parseText(text);
        if (currentGroup >= 0) {
            lineNo = groupLine;
            throw error("overlap group is not closed");
        }
        for (Map.Entry<String, Field> e : fields.entrySet()) {
            Matcher m = SCOPED_NAME.matcher(e.getKey());
            if (m.matches() && !forms.containsKey(m.group(1))) {
                lineNo = fieldLines.get(e.getKey());
                throw error("field " + e.getKey() + " is scoped to undeclared form " + m.group(1));
            }
        }
        checkOverlaps();
        return new IsaTable(tableName, patterns, aliases, fields, forms);
    }

    private void parseText(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = words(line);
            switch (t[0]) {
                case "field" -> parseField(t);
                case "form" -> parseForm(t);
                case "insn" -> parseInsn(t);
                case "alias" -> parseAlias(t);
                case "overlap" -> openGroup(t);
                case "}" -> closeGroup(t);
                case "include" -> include(t);
                case "facility" -> facility(t);
                default -> throw error("unknown directive '" + t[0] + "' (expected field, form, insn, alias, "
                        + "overlap, }, include or facility)");
            }
        }
    }

    /**
     * {@code facility NAME}: the rows that follow in this file (until the next such line) need the MSR
     * availability bit NAME ({@link Facility}); a row's own {@code @NAME} overrides it.
     */
    private void facility(String[] t) {
        Facility f = t.length == 2 ? Facility.ofAttribute(t[1]) : null;
        if (f == null) {
            throw error("facility needs one of none, fp, vec, vsx, fpvec, vsxvec");
        }
        currentFacility = f;
    }

    /**
     * {@code include NAME}: reads another file of the table in place, so that each ISA chapter can keep its rows
     * in a file of its own. Fields, forms and rows are shared; an overlap group cannot span files.
     */
    private void include(String[] t) {
        if (t.length != 2) {
            throw error("include needs exactly one file name");
        }
        if (currentGroup >= 0) {
            throw error("include inside an overlap group");
        }
        if (!included.add(t[1])) {
            throw error(t[1] + " is included twice");
        }
        String text = includes.apply(t[1]);
        if (text == null) {
            throw error("included file " + t[1] + " not found");
        }
        String outerSource = source;
        int outerLine = lineNo;
        Facility outerFacility = currentFacility;
        source = t[1];
        currentFacility = Facility.NONE;
        parseText(text);
        currentFacility = outerFacility;
        if (currentGroup >= 0) {
            lineNo = groupLine;
            throw error("overlap group is not closed at the end of the file");
        }
        source = outerSource;
        lineNo = outerLine;
    }

    private IsaTableException error(String message) {
        return new IsaTableException(source, lineNo, message);
    }

    // ------------------------------------------------------------------------------------------ fields

    private void parseField(String[] t) {
        if (t.length < 3) {
            throw error("field needs a name and at least one bit range");
        }
        String name = t[1];
        if (!NAME.matcher(name).matches() && !SCOPED_NAME.matcher(name).matches()) {
            throw error("bad field name '" + name + "'");
        }
        if (fields.containsKey(name)) {
            throw error("field " + name + " is declared twice (first on line " + fieldLines.get(name) + ")");
        }
        List<int[]> pieces = new ArrayList<>();
        boolean signed = false;
        int scale = 1;
        FieldKind kind = FieldKind.IMM;
        String suffix = null;
        for (int i = 2; i < t.length; i++) {
            String tok = t[i];
            Matcher pm = PIECE.matcher(tok);
            if (pm.matches()) {
                if (signed || scale != 1 || kind != FieldKind.IMM || suffix != null) {
                    throw error("field " + name + ": bit ranges must come before options");
                }
                pieces.add(piece(pm));
            } else if (tok.equals("signed")) {
                signed = true;
            } else if (tok.startsWith("scale=")) {
                scale = number(tok.substring(6));
            } else if (tok.startsWith("kind=")) {
                kind = FieldKind.parse(tok.substring(5));
                if (kind == null) {
                    throw error("field " + name + ": unknown kind '" + tok.substring(5) + "'");
                }
            } else if (tok.startsWith("suffix=")) {
                suffix = tok.substring(7);
                if (suffix.isEmpty()) {
                    throw error("field " + name + ": empty suffix");
                }
            } else {
                throw error("field " + name + ": unexpected '" + tok + "'");
            }
        }
        if (pieces.isEmpty()) {
            throw error("field " + name + " has no bit range");
        }
        String simpleName = name.contains(".") ? name.substring(name.indexOf('.') + 1) : name;
        Field f = newField(simpleName, pieces, signed, scale, kind, suffix);
        if (suffix != null && f.width() != 1) {
            throw error("flag field " + name + " must be one bit wide");
        }
        fields.put(name, f);
        fieldLines.put(name, lineNo);
    }

    private Field newField(String name, List<int[]> pieces, boolean signed, int scale, FieldKind kind, String suffix) {
        int[] starts = new int[pieces.size()];
        int[] ends = new int[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            starts[i] = pieces.get(i)[0];
            ends[i] = pieces.get(i)[1];
        }
        try {
            return new Field(name, starts, ends, signed, scale, kind, suffix);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private int[] piece(Matcher pm) {
        int a = Integer.parseInt(pm.group(1));
        int b = pm.group(2) == null ? a : Integer.parseInt(pm.group(2));
        if (a > 31 || b > 31) {
            throw error("bit number above 31 in " + pm.group());
        }
        if (a > b) {
            throw error("bit range " + pm.group() + " is reversed");
        }
        return new int[] {a, b};
    }

    private int number(String text) {
        try {
            if (text.startsWith("0x")) {
                return Integer.parseUnsignedInt(text.substring(2), 16);
            }
            if (text.startsWith("0b")) {
                return Integer.parseUnsignedInt(text.substring(2), 2);
            }
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw error("bad number '" + text + "'");
        }
    }

    // ------------------------------------------------------------------------------------------- forms

    private void parseForm(String[] t) {
        if (t.length < 3) {
            throw error("form needs a name and its opcode fields");
        }
        String name = t[1];
        if (!FORM_NAME.matcher(name).matches()) {
            throw error("bad form name '" + name + "'");
        }
        if (forms.containsKey(name)) {
            throw error("form " + name + " is declared twice");
        }
        List<Field> opcodeFields = new ArrayList<>();
        int covered = 0;
        for (int i = 2; i < t.length; i++) {
            String[] kv = t[i].split("=", 2);
            if (kv.length != 2 || !NAME.matcher(kv[0]).matches()) {
                throw error("form " + name + ": expected NAME=BITS, got '" + t[i] + "'");
            }
            Matcher pm = PIECE.matcher(kv[1]);
            if (!pm.matches()) {
                throw error("form " + name + ": bad bit range '" + kv[1] + "'");
            }
            Field f = newField(kv[0], List.of(piece(pm)), false, 1, FieldKind.IMM, null);
            if ((covered & f.wordMask()) != 0) {
                throw error("form " + name + ": opcode field " + kv[0] + " overlaps another");
            }
            covered |= f.wordMask();
            opcodeFields.add(f);
        }
        forms.put(name, new Form(name, opcodeFields));
    }

    // -------------------------------------------------------------------------------------------- rows

    /** Field lookup for a row: declared in place, then scoped to the form, then global. */
    private Field resolve(String name, Form form, Map<String, Field> inline) {
        Field f = inline.get(name);
        if (f == null) {
            f = fields.get(form.name() + "." + name);
        }
        if (f == null) {
            f = fields.get(name);
        }
        return f;
    }

    private void parseInsn(String[] t) {
        if (t.length < 3) {
            throw error("insn needs a mnemonic and a form");
        }
        String mnemonic = t[1];
        if (!MNEMONIC.matcher(mnemonic).matches()) {
            throw error("bad mnemonic '" + mnemonic + "' (upper case, optional trailing '.')");
        }
        if (byMnemonic.containsKey(mnemonic)) {
            throw error(mnemonic + " is declared twice (first on line " + byMnemonic.get(mnemonic).line() + ")");
        }
        Form form = forms.get(t[2]);
        if (form == null) {
            throw error(mnemonic + ": unknown form " + t[2]);
        }
        Coverage coverage = new Coverage(mnemonic);
        Map<String, Field> rowFields = new LinkedHashMap<>();
        Map<String, Field> inline = new HashMap<>();
        Map<Field, Integer> opcodeValues = new HashMap<>();
        int fixedMask = 0;
        int fixedBits = 0;
        String operandText = null;
        List<Field> flags = new ArrayList<>();
        Set<String> attributes = new LinkedHashSet<>();
        List<String> fixedNamed = new ArrayList<>();

        // Operands first: in-place field declarations must be known before flags and fixed names resolve.
        for (int i = 3; i < t.length; i++) {
            String tok = t[i];
            if (!tok.startsWith("@") && !tok.startsWith("/") && !tok.startsWith("-") && !tok.contains("=")
                    && comparison(tok) == null && !isFlag(tok, form)) {
                if (operandText != null) {
                    throw error(mnemonic + ": two operand lists ('" + operandText + "' and '" + tok
                            + "'); separate operands with commas, no spaces");
                }
                operandText = tok;
            }
        }
        List<Operand> operands = operandText == null ? List.of()
                : parseRowOperands(mnemonic, operandText, form, inline, rowFields, coverage);

        List<String> validityText = new ArrayList<>();
        for (int i = 3; i < t.length; i++) {
            String tok = t[i];
            if (tok.equals(operandText)) {
                continue;
            }
            if (comparison(tok) != null) {
                // A validity condition over the row's fields; parsed once the row's fields are all known.
                validityText.add(tok);
                continue;
            }
            if (tok.startsWith("@")) {
                String attr = tok.substring(1);
                if (!ATTRIBUTES.contains(attr)) {
                    throw error(mnemonic + ": unknown attribute " + tok + " (known: " + ATTRIBUTES + ")");
                }
                attributes.add(attr);
            } else if (tok.startsWith("/") || tok.startsWith("-")) {
                Matcher pm = PIECE.matcher(tok.substring(1));
                if (!pm.matches()) {
                    throw error(mnemonic + ": bad reserved range '" + tok + "'");
                }
                int[] p = piece(pm);
                int mask = maskOf(p[0], p[1]);
                coverage.cover(mask, (tok.startsWith("/") ? "reserved " : "ignored ") + tok);
                if (tok.startsWith("/")) {
                    // Reserved bits must be 0: anything else is an invalid form, decoded as illegal.
                    fixedMask |= mask;
                }
            } else if (tok.contains("=")) {
                String[] kv = tok.split("=", 2);
                int value = number(kv[1]);
                // A bit range starts with a digit, a field name with a letter: only the former needs PIECE.
                Matcher pm = !kv[0].isEmpty() && Character.isDigit(kv[0].charAt(0)) ? PIECE.matcher(kv[0]) : null;
                if (pm != null && pm.matches()) {
                    int[] p = piece(pm);
                    int width = p[1] - p[0] + 1;
                    checkFits(mnemonic, kv[0], value, width);
                    int mask = maskOf(p[0], p[1]);
                    coverage.cover(mask, "fixed bits " + kv[0]);
                    fixedMask |= mask;
                    fixedBits |= value << (31 - p[1]);
                } else {
                    Field opcode = form.opcodeField(kv[0]);
                    Field f = opcode != null ? opcode : resolve(kv[0], form, inline);
                    if (f == null) {
                        throw error(mnemonic + ": unknown field " + kv[0]);
                    }
                    if (opcodeValues.containsKey(f)) {
                        throw error(mnemonic + ": " + kv[0] + " is fixed twice");
                    }
                    if (opcode == null && rowFields.containsKey(f.name())) {
                        throw error(mnemonic + ": " + kv[0] + " is both an operand and fixed");
                    }
                    checkFits(mnemonic, kv[0], value, f.width());
                    opcodeValues.put(f, value);
                    int bits = f.encodeRaw(value);
                    coverage.cover(f.wordMask(), kv[0]);
                    fixedMask |= f.wordMask();
                    fixedBits |= bits;
                    rowFields.put(f.name(), f);
                    fixedNamed.add(kv[0]);
                }
            } else {
                Field f = resolve(tok, form, inline);
                if (f == null || f.suffix() == null) {
                    throw error(mnemonic + ": '" + tok + "' is no flag field");
                }
                if (rowFields.containsKey(f.name())) {
                    throw error(mnemonic + ": flag " + tok + " listed twice");
                }
                coverage.cover(f.wordMask(), "flag " + tok);
                flags.add(f);
                rowFields.put(f.name(), f);
            }
        }
        for (Field opcode : form.opcodeFields()) {
            if (!opcodeValues.containsKey(opcode)) {
                throw error(mnemonic + ": form " + form.name() + " needs " + opcode.name() + "=VALUE");
            }
        }
        coverage.requireComplete();
        long facilities = attributes.stream().filter(a -> Facility.ofAttribute(a) != null).count();
        if (facilities > 1) {
            throw error(mnemonic + ": more than one facility attribute " + attributes);
        }
        if (facilities == 0 && currentFacility != Facility.NONE) {
            attributes.add(currentFacility.attribute());
        }
        InsnPattern p = new InsnPattern(patterns.size(), mnemonic, form, fixedMask, fixedBits, operands, flags,
                rowFields, attributes, currentGroup, lineNo);
        if (!validityText.isEmpty()) {
            List<Alias.Condition> validity = new ArrayList<>();
            for (String c : validityText) {
                Matcher cm = COMPARISON.matcher(c);
                if (!cm.matches()) {
                    throw error(mnemonic + ": bad condition '" + c + "'");
                }
                validity.add(new Alias.Condition(expr(cm.group(1), p), Alias.Relation.of(cm.group(2)),
                        expr(cm.group(3), p)));
            }
            p = new InsnPattern(patterns.size(), mnemonic, form, fixedMask, fixedBits, operands, flags, rowFields,
                    attributes, currentGroup, lineNo, validity);
        }
        patterns.add(p);
        patternSources.add(source);
        byMnemonic.put(mnemonic, p);
    }

    /**
     * The words of a stripped line, split at runs of regex {@code \s} characters (space, tab, newline, vertical
     * tab, form feed, carriage return) by hand: a regex split of every line was a sixth of a table's parse.
     */
    private static String[] words(String line) {
        List<String> words = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (i < n) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(line.substring(start, i));
            }
        }
        return words.toArray(String[]::new);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * {@code pattern}'s match of the whole of {@code text}, or null; the regex runs only when {@code text} holds
     * {@code literal}, a character every match contains. Most tokens hold none, and skipping the regex for them
     * was most of a table's parse (it runs once, in the JVM's bytecode interpreter, at every engine start).
     */
    private static Matcher matchWith(Pattern pattern, String text, char literal) {
        if (text.indexOf(literal) < 0) {
            return null;
        }
        Matcher m = pattern.matcher(text);
        return m.matches() ? m : null;
    }

    /** {@link #COMPARISON}'s match of {@code tok}, or null (tested for an operator first, as in matchWith). */
    private static Matcher comparison(String tok) {
        if (tok.indexOf('<') < 0 && tok.indexOf('>') < 0 && !tok.contains("==") && !tok.contains("!=")) {
            return null;
        }
        Matcher m = COMPARISON.matcher(tok);
        return m.matches() ? m : null;
    }

    /** {@link #NAME} without the regex: a lower-case letter, then lower-case letters, digits and '_'. */
    private static boolean isName(String s) {
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private boolean isFlag(String tok, Form form) {
        Field f = resolve(tok, form, Map.of());
        return f != null && f.suffix() != null;
    }

    private void checkFits(String mnemonic, String name, int value, int width) {
        if (value < 0 || (width < 32 && value >= (1L << width))) {
            throw error(mnemonic + ": value " + value + " does not fit " + name + " (" + width + " bits)");
        }
    }

    private static int maskOf(int isaStart, int isaEnd) {
        int width = isaEnd - isaStart + 1;
        int m = width == 32 ? -1 : (1 << width) - 1;
        return m << (31 - isaEnd);
    }

    private List<Operand> parseRowOperands(String mnemonic, String text, Form form, Map<String, Field> inline,
            Map<String, Field> rowFields, Coverage coverage) {
        List<Operand> result = new ArrayList<>();
        for (String op : text.split(",", -1)) {
            if (op.isEmpty()) {
                throw error(mnemonic + ": empty operand in '" + text + "'");
            }
            Matcher mem = matchWith(MEMORY, op, '(');
            if (mem != null) {
                Field disp = rowOperandField(mnemonic, mem.group(1), form, inline, rowFields, coverage);
                Field base = rowOperandField(mnemonic, mem.group(2), form, inline, rowFields, coverage);
                result.add(new Operand.Memory(
                        new Operand.Value(disp.kind(), new Expr.FieldRef(disp), false, 0, false),
                        new Operand.Value(base.kind(), new Expr.FieldRef(base), false, 0, mem.group(3) != null)));
                continue;
            }
            String s = op;
            Matcher opt = matchWith(OPTIONAL, s, '?');
            boolean optional = opt != null;
            int defaultValue = 0;
            if (optional) {
                s = opt.group(1);
                defaultValue = opt.group(2).isEmpty() ? 0 : number(opt.group(2));
            }
            boolean zeroLiteral = s.endsWith("|0");
            if (zeroLiteral) {
                s = s.substring(0, s.length() - 2);
            }
            Matcher in = matchWith(INLINE_FIELD, s, '[');
            String name;
            if (in != null) {
                name = in.group(1);
                if (inline.containsKey(name) || form.opcodeField(name) != null) {
                    throw error(mnemonic + ": field " + name + " declared twice");
                }
                Matcher pm = PIECE.matcher(in.group(2));
                if (!pm.matches()) {
                    throw error(mnemonic + ": bad bit range in " + s);
                }
                inline.put(name, newField(name, List.of(piece(pm)), false, 1, FieldKind.IMM, null));
            } else if (isName(s)) {
                name = s;
            } else {
                throw error(mnemonic + ": bad operand '" + op + "' (rows take field names, d(ra) or name[bits])");
            }
            Field f = rowOperandField(mnemonic, name, form, inline, rowFields, coverage);
            if (zeroLiteral && f.kind() != FieldKind.GPR) {
                throw error(mnemonic + ": '|0' applies to registers only, not " + name);
            }
            result.add(new Operand.Value(f.kind(), new Expr.FieldRef(f), optional, defaultValue, zeroLiteral));
        }
        return result;
    }

    private Field rowOperandField(String mnemonic, String name, Form form, Map<String, Field> inline,
            Map<String, Field> rowFields, Coverage coverage) {
        Field f = resolve(name, form, inline);
        if (f == null) {
            throw error(mnemonic + ": unknown field " + name);
        }
        if (f.suffix() != null) {
            throw error(mnemonic + ": flag " + name + " cannot be an operand");
        }
        if (rowFields.containsKey(name)) {
            throw error(mnemonic + ": operand " + name + " listed twice");
        }
        coverage.cover(f.wordMask(), name);
        rowFields.put(name, f);
        return f;
    }

    /** Tracks which bits of a row are accounted for, so gaps and double use are reported by name. */
    private final class Coverage {
        private final String mnemonic;
        private final String[] owner = new String[32];

        Coverage(String mnemonic) {
            this.mnemonic = mnemonic;
        }

        void cover(int mask, String what) {
            for (int javaBit = 0; javaBit < 32; javaBit++) {
                if ((mask & (1 << javaBit)) != 0) {
                    int isaBit = 31 - javaBit;
                    if (owner[isaBit] != null) {
                        throw error(mnemonic + ": bit " + isaBit + " is covered by both " + owner[isaBit]
                                + " and " + what);
                    }
                    owner[isaBit] = what;
                }
            }
        }

        void requireComplete() {
            StringBuilder gaps = new StringBuilder();
            int i = 0;
            while (i < 32) {
                if (owner[i] == null) {
                    int j = i;
                    while (j + 1 < 32 && owner[j + 1] == null) {
                        j++;
                    }
                    gaps.append(gaps.isEmpty() ? "" : ", ").append(i == j ? "" + i : i + ":" + j);
                    i = j + 1;
                } else {
                    i++;
                }
            }
            if (!gaps.isEmpty()) {
                throw error(mnemonic + ": bits " + gaps + " are not covered (add operands, flags or /reserved)");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ groups

    private void openGroup(String[] t) {
        if (t.length != 2 || !t[1].equals("{")) {
            throw error("expected 'overlap {'");
        }
        if (currentGroup >= 0) {
            throw error("overlap groups do not nest (group opened on line " + groupLine + ")");
        }
        currentGroup = groupCount++;
        groupLine = lineNo;
    }

    private void closeGroup(String[] t) {
        if (t.length != 1) {
            throw error("unexpected text after '}'");
        }
        if (currentGroup < 0) {
            throw error("'}' without 'overlap {'");
        }
        currentGroup = -1;
    }

    /**
     * Every pair of patterns that match a common word must be in one overlap group, the later one not shadowed.
     * Two patterns that both fix a bit to different values cannot overlap. Each pattern that fixes the primary
     * opcode falls in a bucket by that opcode and by the bits every such row of that opcode fixes (for opcode 31,
     * the extended opcode's bits that all its forms share), and is compared with the earlier ones of its bucket
     * and those that leave the primary opcode open; one that leaves it open is compared with every earlier one.
     * For the table's 807 rows: a few thousand comparisons instead of 325,000, in the start-up's cold bytecode.
     */
    private void checkOverlaps() {
        int n = patterns.size();
        int[] mask = new int[n];
        int[] bits = new int[n];
        int[] shared = new int[64]; // by primary opcode: the bits every row that fixes it fixes too
        Arrays.fill(shared, -1);
        for (int j = 0; j < n; j++) {
            mask[j] = patterns.get(j).fixedMask();
            bits[j] = patterns.get(j).fixedBits();
            if ((mask[j] & PRIMARY_OPCODE) == PRIMARY_OPCODE) {
                shared[bits[j] >>> 26] &= mask[j];
            }
        }
        Map<Long, List<Integer>> buckets = new HashMap<>();
        List<Integer> open = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            boolean fixed = (mask[j] & PRIMARY_OPCODE) == PRIMARY_OPCODE;
            List<Integer> bucket = null;
            if (fixed) {
                int op = bits[j] >>> 26;
                bucket = buckets.computeIfAbsent(((long) op << 32) | (bits[j] & shared[op] & 0xffff_ffffL),
                        k -> new ArrayList<>());
            }
            for (int i : fixed ? mergeAscending(bucket, open) : all) {
                if (((bits[i] ^ bits[j]) & mask[i] & mask[j]) != 0) {
                    continue;
                }
                InsnPattern a = patterns.get(i);
                InsnPattern b = patterns.get(j);
                lineNo = b.line();
                source = patternSources.get(j);
                int example = bits[i] | (bits[j] & ~mask[i]);
                if (a.overlapGroup() < 0 || a.overlapGroup() != b.overlapGroup()) {
                    throw error(b.mnemonic() + " overlaps " + a.mnemonic() + " (" + patternSources.get(i) + " line " + a.line()
                            + "): both match 0x" + String.format("%08x", example)
                            + "; put them in one 'overlap { }' group if the first should win");
                }
                if ((mask[i] & ~mask[j]) == 0) {
                    throw error(b.mnemonic() + " can never match: " + a.mnemonic() + " (" + patternSources.get(i) + " line " + a.line()
                            + ") comes first in the group and matches every word it does");
                }
            }
            (fixed ? bucket : open).add(j);
            all.add(j);
        }
    }

    /** Two ascending lists of pattern indexes as one, so the first conflict found is still the earliest row. */
    private static List<Integer> mergeAscending(List<Integer> a, List<Integer> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<Integer> merged = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int k = 0;
        while (i < a.size() || k < b.size()) {
            merged.add(k == b.size() || (i < a.size() && a.get(i) < b.get(k)) ? a.get(i++) : b.get(k++));
        }
        return merged;
    }

    // ----------------------------------------------------------------------------------------- aliases

    private void parseAlias(String[] t) {
        if (t.length < 3) {
            throw error("alias needs a mnemonic and a base row");
        }
        String mnemonic = t[1];
        if (!ALIAS_MNEMONIC.matcher(mnemonic).matches()) {
            throw error("bad alias mnemonic '" + mnemonic + "'");
        }
        InsnPattern base = byMnemonic.get(t[2]);
        if (base == null) {
            throw error("alias " + mnemonic + ": unknown base instruction " + t[2] + " (declare it first)");
        }
        if (!aliasKeys.add(mnemonic + " " + base.mnemonic())) {
            throw error("alias " + mnemonic + " of " + base.mnemonic() + " is declared twice");
        }
        List<Alias.Condition> conditions = new ArrayList<>();
        List<Operand> operands = List.of();
        boolean operandsSeen = false;
        for (int i = 3; i < t.length; i++) {
            String tok = t[i];
            Matcher cm = comparison(tok);
            if (cm != null) {
                Alias.Relation relation = Alias.Relation.of(cm.group(2));
                conditions.add(new Alias.Condition(expr(cm.group(1), base), relation, expr(cm.group(3), base)));
            } else if (tok.contains("=")) {
                String[] kv = tok.split("=", 2);
                Field f = base.fields().get(kv[0]);
                if (f == null) {
                    throw error("alias " + mnemonic + ": " + base.mnemonic() + " has no field " + kv[0]);
                }
                conditions.add(new Alias.Condition(new Expr.FieldRef(f), Alias.Relation.EQ,
                        new Expr.Const(number(kv[1]))));
            } else {
                if (operandsSeen) {
                    throw error("alias " + mnemonic + ": two operand lists; separate operands with commas");
                }
                operandsSeen = true;
                operands = parseAliasOperands(mnemonic, tok, base);
            }
        }
        aliases.add(new Alias(mnemonic, base, conditions, operands, lineNo));
    }

    private List<Operand> parseAliasOperands(String mnemonic, String text, InsnPattern base) {
        List<Operand> result = new ArrayList<>();
        for (String op : text.split(",", -1)) {
            if (op.isEmpty()) {
                throw error("alias " + mnemonic + ": empty operand");
            }
            Matcher mem = matchWith(MEMORY, op, '(');
            if (mem != null) {
                Field disp = aliasField(mnemonic, mem.group(1), base);
                Field reg = aliasField(mnemonic, mem.group(2), base);
                result.add(new Operand.Memory(
                        new Operand.Value(disp.kind(), new Expr.FieldRef(disp), false, 0, false),
                        new Operand.Value(reg.kind(), new Expr.FieldRef(reg), false, 0, mem.group(3) != null)));
                continue;
            }
            String s = op;
            Matcher opt = matchWith(OPTIONAL, s, '?');
            boolean optional = opt != null;
            int defaultValue = 0;
            if (optional) {
                s = opt.group(1);
                defaultValue = opt.group(2).isEmpty() ? 0 : number(opt.group(2));
            }
            boolean zeroLiteral = s.endsWith("|0");
            if (zeroLiteral) {
                s = s.substring(0, s.length() - 2);
            }
            FieldKind kind = null;
            int colon = s.indexOf(':');
            if (colon >= 0) {
                kind = FieldKind.parse(s.substring(0, colon));
                if (kind == null) {
                    throw error("alias " + mnemonic + ": unknown kind '" + s.substring(0, colon) + "'");
                }
                s = s.substring(colon + 1);
            }
            Expr e = expr(s, base);
            Field plain = e.asField();
            if (kind == null) {
                kind = plain != null ? plain.kind() : FieldKind.IMM;
            }
            if (zeroLiteral && (plain == null || kind != FieldKind.GPR)) {
                throw error("alias " + mnemonic + ": '|0' applies to register fields only");
            }
            result.add(new Operand.Value(kind, e, optional, defaultValue, zeroLiteral));
        }
        return result;
    }

    private Field aliasField(String mnemonic, String name, InsnPattern base) {
        Field f = base.fields().get(name);
        if (f == null) {
            throw error("alias " + mnemonic + ": " + base.mnemonic() + " has no field " + name);
        }
        return f;
    }

    /** Parses + - * / % over numbers and the base row's fields, with the usual precedence. */
    private Expr expr(String text, InsnPattern base) {
        ExprReader r = new ExprReader(text, base);
        Expr e = r.sum();
        if (r.pos != text.length()) {
            throw error("bad expression '" + text + "' at '" + text.substring(r.pos) + "'");
        }
        return e;
    }

    private final class ExprReader {
        private final String text;
        private final InsnPattern base;
        private int pos;

        ExprReader(String text, InsnPattern base) {
            this.text = text;
            this.base = base;
        }

        Expr sum() {
            Expr left = product();
            while (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                char op = text.charAt(pos++);
                left = new Expr.Binary(op, left, product());
            }
            return left;
        }

        Expr product() {
            Expr left = atom();
            while (pos < text.length() && "*/%".indexOf(text.charAt(pos)) >= 0) {
                char op = text.charAt(pos++);
                left = new Expr.Binary(op, left, atom());
            }
            return left;
        }

        Expr atom() {
            if (pos >= text.length()) {
                throw error("expression '" + text + "' ends early");
            }
            char c = text.charAt(pos);
            if (c == '(') {
                pos++;
                Expr e = sum();
                if (pos >= text.length() || text.charAt(pos) != ')') {
                    throw error("missing ')' in '" + text + "'");
                }
                pos++;
                return e;
            }
            int start = pos;
            if (Character.isDigit(c)) {
                while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
                    pos++;
                }
                return new Expr.Const(number(text.substring(start, pos)));
            }
            if (Character.isLetter(c)) {
                while (pos < text.length()
                        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    pos++;
                }
                String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
                Field f = base.fields().get(name);
                if (f == null) {
                    throw error(base.mnemonic() + " has no field " + name + " (in '" + text + "')");
                }
                return new Expr.FieldRef(f);
            }
            throw error("unexpected '" + c + "' in '" + text + "'");
        }
    }
}
