package dev.pvm.engine.cpu.decode;

import dev.pvm.engine.cpu.isa.InsnPattern;
import dev.pvm.engine.cpu.isa.IsaTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps an instruction word to its table row in a few array lookups.
 *
 * <p>At construction the rows are split into a decision tree: each inner node indexes a contiguous run of
 * bits that every remaining row fixes (the primary opcode first, then the extended opcode), and each leaf
 * holds the few rows left, tried in table order (only an overlap group leaves more than one). The tree is
 * built once per table and shared by every vCPU.
 */
public final class Decoder {

    /** Returned by {@link #decode} for a word that is no instruction in the table. */
    public static final int ILLEGAL = -1;

    private static final int MAX_INDEX_BITS = 10;
    /**
     * A node with this many rows or fewer becomes a leaf scanned in table order: indexing single scattered
     * common bits (the VSX XX2/XX3/XX4 forms share few) would add a level per bit for two or three rows.
     */
    private static final int MAX_LEAF_ROWS = 3;

    private final IsaTable table;
    private final Node root;

    public Decoder(IsaTable table) {
        this.table = table;
        List<InsnPattern> all = new ArrayList<>(table.patterns());
        this.root = build(all, 0);
    }

    public IsaTable table() {
        return table;
    }

    /** The row id of this word, or {@link #ILLEGAL}. */
    public int decode(int insn) {
        Node n = root;
        while (n.children != null) {
            n = n.children[(insn >>> n.shift) & n.indexMask];
        }
        int[] masks = n.fixedMasks;
        for (int i = 0; i < masks.length; i++) {
            if ((insn & masks[i]) == n.fixedBits[i] && (n.conditional == null || n.conditional[i] == null
                    || n.conditional[i].isValidForm(insn))) {
                return n.ids[i];
            }
        }
        return ILLEGAL;
    }

    /** The row of this word, or null when it is illegal. */
    public InsnPattern decodePattern(int insn) {
        int id = decode(insn);
        return id == ILLEGAL ? null : table.pattern(id);
    }

    /** Depth of the decision tree (number of index steps on the longest path); for tests and tuning. */
    public int depth() {
        return depth(root);
    }

    private static int depth(Node n) {
        if (n.children == null) {
            return 0;
        }
        int max = 0;
        for (Node c : n.children) {
            max = Math.max(max, depth(c));
        }
        return max + 1;
    }

    private static Node build(List<InsnPattern> rows, int usedMask) {
        if (rows.size() <= MAX_LEAF_ROWS) {
            return Node.leaf(rows);
        }
        int common = ~usedMask;
        for (InsnPattern p : rows) {
            common &= p.fixedMask();
        }
        if (common == 0) {
            // Only rows of one overlap group get here (the table rejects other overlaps): table order decides.
            return Node.leaf(rows);
        }
        // The longest run of common bits, the most significant on a tie (the primary opcode comes first).
        int bestShift = 0;
        int bestWidth = 0;
        int bit = 31;
        while (bit >= 0) {
            if ((common & (1 << bit)) == 0) {
                bit--;
                continue;
            }
            int top = bit;
            while (bit >= 0 && (common & (1 << bit)) != 0) {
                bit--;
            }
            int width = top - bit;
            if (width > bestWidth) {
                bestWidth = width;
                bestShift = bit + 1;
            }
        }
        if (bestWidth > MAX_INDEX_BITS) {
            bestShift += bestWidth - MAX_INDEX_BITS;
            bestWidth = MAX_INDEX_BITS;
        }
        int indexMask = (1 << bestWidth) - 1;
        int runMask = indexMask << bestShift;
        List<List<InsnPattern>> buckets = new ArrayList<>();
        for (int i = 0; i <= indexMask; i++) {
            buckets.add(new ArrayList<>());
        }
        for (InsnPattern p : rows) {
            buckets.get((p.fixedBits() >>> bestShift) & indexMask).add(p);
        }
        Node[] children = new Node[indexMask + 1];
        Node illegal = Node.leaf(List.of());
        for (int i = 0; i <= indexMask; i++) {
            List<InsnPattern> b = buckets.get(i);
            children[i] = b.isEmpty() ? illegal : build(b, usedMask | runMask);
        }
        return new Node(bestShift, indexMask, children, null, null, null);
    }

    /** An inner node (children != null) or a leaf with candidate rows in table order. */
    private static final class Node {
        final int shift;
        final int indexMask;
        final Node[] children;
        final int[] ids;
        final int[] fixedMasks;
        final int[] fixedBits;
        /** Per candidate, its row when that row has validity conditions; null when no candidate has any. */
        InsnPattern[] conditional;

        Node(int shift, int indexMask, Node[] children, int[] ids, int[] fixedMasks, int[] fixedBits) {
            this.shift = shift;
            this.indexMask = indexMask;
            this.children = children;
            this.ids = ids;
            this.fixedMasks = fixedMasks;
            this.fixedBits = fixedBits;
        }

        static Node leaf(List<InsnPattern> rows) {
            int[] ids = new int[rows.size()];
            int[] masks = new int[rows.size()];
            int[] bits = new int[rows.size()];
            InsnPattern[] conditional = null;
            for (int i = 0; i < rows.size(); i++) {
                ids[i] = rows.get(i).id();
                masks[i] = rows.get(i).fixedMask();
                bits[i] = rows.get(i).fixedBits();
                if (!rows.get(i).validity().isEmpty()) {
                    if (conditional == null) {
                        conditional = new InsnPattern[rows.size()];
                    }
                    conditional[i] = rows.get(i);
                }
            }
            Node leaf = new Node(0, 0, null, ids, masks, bits);
            leaf.conditional = conditional;
            return leaf;
        }
    }
}
