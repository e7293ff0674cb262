package dev.pvm.engine.fdt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pvm.engine.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtsPrinterTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void guessesValueTypesAsDtcDoes() {
        assertThat(DtsPrinter.value(bytes("qemu,pseries\0"))).isEqualTo("\"qemu,pseries\"");
        assertThat(DtsPrinter.value(bytes("hcall-pft\0hcall-term\0"))).isEqualTo("\"hcall-pft\\0hcall-term\"");
        assertThat(DtsPrinter.value(bytes("ab\0\0"))).isEqualTo("\"ab\\0\"");
        assertThat(DtsPrinter.value(bytes("a\0b\0\0"))).as("more NULs than text").isEqualTo("[61 00 62 00 00]");
        assertThat(DtsPrinter.value(bytes("\0"))).isEqualTo("[00]");
        assertThat(DtsPrinter.value(bytes("a\0\0\0"))).isEqualTo("<0x61000000>");
        assertThat(DtsPrinter.value(new byte[] {0, 0, 0, 2, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isEqualTo("<0x02 0xffffffff>");
        assertThat(DtsPrinter.value(new byte[] {1, 2, 3})).isEqualTo("[01 02 03]");
        assertThat(DtsPrinter.value(bytes("a\tb\"c\\d\0"))).isEqualTo("\"a\\tb\\\"c\\\\d\"");
    }

    @Test
    void printsNodesPropertiesAndReservations() {
        FdtWriter w = new FdtWriter();
        w.reserveMemory(0x2fff0000L, 0x10000);
        FdtWriter.Node root = w.beginNode("");
        w.propertyU32("#size-cells", 2);
        w.propertyEmpty("64-bit");
        FdtWriter.Node chosen = w.beginNode("chosen");
        w.propertyString("bootargs", "console=hvc0");
        w.endNode(chosen);
        w.endNode(w.beginNode("empty"));
        w.endNode(root);
        assertThat(DtsPrinter.print(FdtReader.read(w.finish()))).isEqualTo("""
                /dts-v1/;

                /memreserve/\t0x000000002fff0000 0x0000000000010000;
                / {
                \t#size-cells = <0x02>;
                \t64-bit;

                \tchosen {
                \t\tbootargs = "console=hvc0";
                \t};

                \tempty {
                \t};
                };
                """);
    }

    /** dtc is the oracle: its decompilation of our blob must equal our printer's text. */
    @Test
    void agreesWithDtc(@TempDir Path dir) throws Exception {
        ExternalTools.requireOracle(ExternalTools.available("dtc"), "dtc");
        FdtWriter w = new FdtWriter();
        w.reserveMemory(0x1000, 0x1000);
        FdtWriter.Node root = w.beginNode("");
        w.propertyU32("#address-cells", 2);
        w.propertyU32("#size-cells", 2);
        w.propertyStrings("list", "one", "two", "three");
        w.property("bytes", new byte[] {1, 2, 3, 4, 5});
        w.propertyEmpty("flag");
        FdtWriter.Node n = w.beginNode("node@1f");
        w.propertyCells("reg", 0, 0x1f, 0, 0x10);
        w.propertyPhandle(0x1111);
        w.endNode(n);
        w.endNode(root);
        byte[] blob = w.finish();
        Path file = dir.resolve("t.dtb");
        Files.write(file, blob);
        String theirs = ExternalTools.run(dir, "dtc", "-q", "-I", "dtb", "-O", "dts", file.toString());
        assertThat(DtsPrinter.print(FdtReader.read(blob))).isEqualTo(theirs);
        // And dtc lays the blob out exactly as we do.
        Path source = dir.resolve("t.dts");
        Files.writeString(source, theirs);
        ExternalTools.run(dir, "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", "back.dtb", source.toString());
        assertThat(Files.readAllBytes(dir.resolve("back.dtb"))).isEqualTo(blob);
    }
}
