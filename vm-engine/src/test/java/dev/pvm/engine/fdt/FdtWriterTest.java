package dev.pvm.engine.fdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.fdt.FdtStructureException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FdtWriterTest {

    /** Big-endian words followed by the strings block. */
    private static byte[] blob(String strings, int... words) {
        byte[] s = strings.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(words.length * 4 + s.length);
        for (int w : words) {
            b.putInt(w);
        }
        b.put(s);
        return b.array();
    }

    @Test
    void minimalTreeByteForByte() {
        FdtWriter w = new FdtWriter();
        FdtWriter.Node root = w.beginNode("");
        w.propertyU32("a", 0x12345678);
        w.endNode(root);
        assertThat(w.finish()).isEqualTo(blob("a\0",
                0xd00dfeed, // magic
                0x0000005a, // totalsize: 0x28 header + 0x10 reservation map + 0x20 structure + 2 strings
                0x00000038, // off_dt_struct
                0x00000058, // off_dt_strings
                0x00000028, // off_mem_rsvmap: right after the 40-byte header
                0x00000011, // version 17
                0x00000010, // last_comp_version 16
                0x00000000, // boot_cpuid_phys
                0x00000002, // size_dt_strings: "a\0"
                0x00000020, // size_dt_struct: 8 words
                0x00000000, 0x00000000, // reservation map terminator: address 0...
                0x00000000, 0x00000000, // ...size 0
                0x00000001, // FDT_BEGIN_NODE
                0x00000000, // name "" with its NUL, padded to 4
                0x00000003, // FDT_PROP
                0x00000004, // value length
                0x00000000, // name offset: "a" at 0
                0x12345678, // value
                0x00000002, // FDT_END_NODE
                0x00000009)); // FDT_END
    }

    @Test
    void reservationsNodesAndSharedNames() {
        FdtWriter w = new FdtWriter();
        w.reserveMemory(0x1000, 0x2000);
        w.setBootCpuId(1);
        FdtWriter.Node root = w.beginNode("");
        w.propertyString("xy", "z");
        FdtWriter.Node cpu = w.beginNode("cpu@1");
        w.propertyEmpty("y");
        w.endNode(cpu);
        w.endNode(root);
        assertThat(w.finish()).isEqualTo(blob("xy\0",
                0xd00dfeed, 0x00000087, 0x00000048, 0x00000084, 0x00000028, 17, 16,
                0x00000001, // boot_cpuid_phys
                0x00000003, // size_dt_strings: "y" shares the tail of "xy"
                0x0000003c, // size_dt_struct: 15 words
                0x00000000, 0x00001000, 0x00000000, 0x00002000, // reservation [0x1000, +0x2000)
                0x00000000, 0x00000000, 0x00000000, 0x00000000, // terminator
                0x00000001, 0x00000000, // BEGIN_NODE ""
                0x00000003, 0x00000002, 0x00000000, // PROP len 2 "xy"
                0x7a000000, // "z\0" padded
                0x00000001, // BEGIN_NODE
                0x63707540, // "cpu@"
                0x31000000, // "1\0" padded
                0x00000003, 0x00000000, 0x00000001, // PROP len 0 name offset 1 ("y" inside "xy")
                0x00000002, // END_NODE cpu@1
                0x00000002, // END_NODE /
                0x00000009)); // END
    }

    private static void misuse(Problem problem, Consumer<FdtWriter> steps) {
        FdtWriter w = new FdtWriter();
        assertThatThrownBy(() -> steps.accept(w))
                .isInstanceOfSatisfying(FdtStructureException.class, e -> assertThat(e.problem()).isEqualTo(problem));
    }

    @Test
    void refusesMisuse() {
        misuse(Problem.PROPERTY_OUTSIDE_NODE, w -> w.propertyU32("a", 1));
        misuse(Problem.ROOT_NOT_EMPTY_NAME, w -> w.beginNode("root"));
        misuse(Problem.SECOND_ROOT, w -> {
            w.endNode(w.beginNode(""));
            w.beginNode("");
        });
        misuse(Problem.PROPERTY_AFTER_SUBNODE, w -> {
            w.beginNode("");
            w.endNode(w.beginNode("a"));
            w.propertyU32("late", 1);
        });
        misuse(Problem.END_WRONG_NODE, w -> {
            FdtWriter.Node root = w.beginNode("");
            w.beginNode("child");
            w.endNode(root);
        });
        misuse(Problem.UNCLOSED_NODE, w -> {
            w.beginNode("");
            w.finish();
        });
        misuse(Problem.NO_ROOT, FdtWriter::finish);
        misuse(Problem.INVALID_NAME, w -> {
            w.beginNode("");
            w.beginNode("bad name");
        });
        misuse(Problem.INVALID_NAME, w -> {
            w.beginNode("");
            w.propertyU32("bad=name", 1);
        });
        misuse(Problem.DUPLICATE_PROPERTY, w -> {
            w.beginNode("");
            w.propertyU32("a", 1);
            w.propertyU32("a", 2);
        });
        misuse(Problem.DUPLICATE_NODE, w -> {
            w.beginNode("");
            w.endNode(w.beginNode("a"));
            w.beginNode("a");
        });
        misuse(Problem.DUPLICATE_PHANDLE, w -> {
            w.beginNode("");
            FdtWriter.Node a = w.beginNode("a");
            w.propertyPhandle(0x1111);
            w.endNode(a);
            w.beginNode("b");
            w.propertyPhandle(0x1111);
        });
        misuse(Problem.INVALID_PHANDLE, w -> {
            w.beginNode("");
            w.propertyPhandle(0);
        });
        misuse(Problem.OVERLAPPING_RESERVATION, w -> {
            w.reserveMemory(0x1000, 0x1000);
            w.reserveMemory(0x1800, 0x100);
        });
        misuse(Problem.FINISHED, w -> {
            w.endNode(w.beginNode(""));
            w.finish();
            w.beginNode("");
        });
    }
}
