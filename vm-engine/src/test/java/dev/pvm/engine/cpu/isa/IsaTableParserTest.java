package dev.pvm.engine.cpu.isa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.testing.TestResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class IsaTableParserTest {

    static Stream<Path> tables(String prefix) throws IOException {
        Path dir = TestResources.moduleDir().resolve("src/test/resources/isa/tables");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
        assertThat(files).as("fixtures " + prefix + "* in " + dir).isNotEmpty();
        return files.stream();
    }

    static Stream<Path> okTables() throws IOException {
        return tables("ok_");
    }

    static Stream<Path> errTables() throws IOException {
        return tables("err_");
    }

    @ParameterizedTest
    @MethodSource("okTables")
    void acceptsValidTables(Path file) throws IOException {
        IsaTable table = IsaTable.parse(Files.readString(file), file.getFileName().toString());
        assertThat(table.size()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("errTables")
    void rejectsInvalidTablesWithLineAndReason(Path file) throws IOException {
        String text = Files.readString(file);
        String first = text.lines().findFirst().orElseThrow();
        assertThat(first).as("first line of " + file).startsWith("# expect: ");
        String expected = first.substring("# expect: ".length());
        int colon = expected.indexOf(": ");
        int line = Integer.parseInt(expected.substring(0, colon));
        String reason = expected.substring(colon + 2);
        assertThatThrownBy(() -> IsaTable.parse(text, file.getFileName().toString()))
                .isInstanceOf(IsaTableException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((IsaTableException) e).line()).isEqualTo(line));
    }

    @Test
    void validityConditionsMakeInvalidFormsOfTheirRow() throws IOException {
        Path file = TestResources.moduleDir().resolve("src/test/resources/isa/tables/ok_validity.isa");
        IsaTable table = IsaTable.parse(Files.readString(file), "ok_validity.isa");
        InsnPattern lu = table.pattern("LU");
        assertThat(lu.validity()).hasSize(2);
        assertThat(lu.isValidForm(0x84640008)).as("lu r3,8(r4)").isTrue();
        assertThat(lu.isValidForm(0x84630008)).as("lu r3,8(r3)").isFalse();
        assertThat(lu.isValidForm(0x84600008)).as("lu r3,8(0)").isFalse();
        assertThat(lu.matches(0x84630008)).isFalse();
        assertThat(new dev.pvm.engine.cpu.decode.Decoder(table).decode(0x84630008))
                .isEqualTo(dev.pvm.engine.cpu.decode.Decoder.ILLEGAL);
    }

    @Test
    void overlapGroupRowsKeepTableOrder() throws IOException {
        IsaTable t = IsaTable.parse(TestResources.text("/isa/tables/ok_overlap_group.isa"), "ok_overlap_group");
        assertThat(t.pattern("ZERO").overlapGroup()).isEqualTo(0);
        assertThat(t.pattern("ORX").overlapGroup()).isEqualTo(0);
        assertThat(t.pattern("OTHER").overlapGroup()).isEqualTo(-1);
        assertThat(t.pattern("ZERO").id()).isLessThan(t.pattern("ORX").id());
    }

    @Test
    void splitScopedAndInPlaceFieldsResolvePerForm() {
        IsaTable t = IsaTable.parse(TestResources.text("/isa/tables/ok_split_field.isa"), "ok_split_field");
        InsnPattern mfspr = t.pattern("MFSPR");
        // spr 0x123 = 0b01001_00011: the low five bits sit in 11:15, the high five in 16:20.
        int word = (31 << 26) | (3 << 21) | (0b00011 << 16) | (0b01001 << 11) | (339 << 1);
        assertThat(mfspr.matches(word)).isTrue();
        assertThat(mfspr.field("spr").extract(word)).isEqualTo(0x123);
        InsnPattern rot = t.pattern("ROT");
        assertThat(rot.field("sh").width()).isEqualTo(6);
        assertThat(rot.field("mb").width()).isEqualTo(6);
        // Bits 11:15 are ignored: they are not part of the fixed mask.
        assertThat(rot.fixedMask() & (0x1f << 16)).isZero();
        assertThat(rot.flags()).extracting(Field::name).containsExactly("rc");
    }

    @Test
    void ppc64TableLoadsWithDenseIdsAndUniqueMnemonics() {
        IsaTable t = IsaTable.ppc64();
        assertThat(t.size()).isGreaterThan(150);
        for (int i = 0; i < t.size(); i++) {
            assertThat(t.pattern(i).id()).isEqualTo(i);
            assertThat(t.pattern(t.pattern(i).mnemonic())).isSameAs(t.pattern(i));
        }
        assertThat(t.aliases()).isNotEmpty();
        assertThat(t.pattern("MFMSR").privileged()).isTrue();
        assertThat(t.pattern("ADD").privileged()).isFalse();
    }

    @Test
    void everyPpc64RowFixesItsFormsOpcodeBits() {
        for (InsnPattern p : IsaTable.ppc64().patterns()) {
            for (Field opcode : p.form().opcodeFields()) {
                assertThat(p.fixedMask() & opcode.wordMask()).as(p.mnemonic() + " " + opcode.name())
                        .isEqualTo(opcode.wordMask());
            }
        }
    }

    @Test
    void includedFilesShareFieldsAndFormsAndAreCheckedForOverlapsAcrossFiles() {
        String main = "field rt 6:10 kind=gpr\nfield si 16:31 signed\nform D po=0:5\ninsn LI D po=14 rt,si /11:15\n"
                + "include more.isa\n";
        IsaTable table = new IsaTableParser("main.isa", java.util.Map.of(
                "more.isa", "insn LIS D po=15 rt,si /11:15\n")::get).parse(main);
        assertThat(table.patterns()).extracting(InsnPattern::mnemonic).containsExactly("LI", "LIS");

        assertThatThrownBy(() -> new IsaTableParser("main.isa", java.util.Map.of(
                "more.isa", "\ninsn OTHER D po=14 rt,si /11:15\n")::get).parse(main))
                .isInstanceOf(IsaTableException.class)
                .hasMessageContaining("more.isa")
                .hasMessageContaining("OTHER overlaps LI (main.isa line 4)");
        assertThatThrownBy(() -> new IsaTableParser("main.isa", name -> null).parse(main))
                .isInstanceOf(IsaTableException.class)
                .hasMessageContaining("included file more.isa not found");
    }
}
