package dev.pvm.engine.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pvm.engine.testing.TestElf;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfImageTest {

    private static ElfImage parse(byte[] file) {
        return ElfImage.parse(MemorySegment.ofArray(file));
    }

    @Test
    void builtinGuestsAreKernelLikeImagesInBothByteOrders() {
        ElfImage le = parse(BuiltinGuest.HELLO.elf());
        ElfImage be = parse(BuiltinGuest.HELLO_BE.elf());
        assertThat(le.byteOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
        assertThat(be.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        for (ElfImage image : new ElfImage[] {le, be}) {
            assertThat(image.entry()).isEqualTo(0xc000_0000_0000_0000L);
            assertThat(image.physicalEntry()).isZero();
            assertThat(image.physicalStart()).isZero();
            assertThat(image.segments()).hasSize(1);
        }
    }

    @Test
    void entryIsTranslatedThroughItsSegment() {
        byte[] elf = TestElf.executable(ByteOrder.BIG_ENDIAN, 0xc000_0000_0000_0010L, 0xc000_0000_0000_0000L,
                0x40_0000, new byte[64], 128);
        ElfImage image = parse(elf);
        assertThat(image.physicalEntry()).isEqualTo(0x40_0010);
        assertThat(image.physicalEnd()).isEqualTo(0x40_0080);
    }

    @Test
    void rejectsWhatIsNotALoadablePpc64Executable() {
        byte[] good = TestElf.executable(ByteOrder.LITTLE_ENDIAN, 0, 0, 0, new byte[16], 16);
        assertThatThrownBy(() -> parse(Arrays.copyOf(good, 10))).isInstanceOf(ElfFormatException.class)
                .hasMessageContaining("too short");
        byte[] notElf = good.clone();
        notElf[1] = 'X';
        assertThatThrownBy(() -> parse(notElf)).hasMessageContaining("not an ELF file");
        byte[] elf32 = good.clone();
        elf32[4] = 1;
        assertThatThrownBy(() -> parse(elf32)).hasMessageContaining("not a 64-bit ELF");
        byte[] x86 = good.clone();
        x86[18] = 62;
        assertThatThrownBy(() -> parse(x86)).hasMessageContaining("is not 64-bit PowerPC");
        byte[] truncated = Arrays.copyOf(good, good.length - 8);
        assertThatThrownBy(() -> parse(truncated)).hasMessageContaining("outside the file");
        byte[] outside = TestElf.executable(ByteOrder.LITTLE_ENDIAN, 0x9000, 0, 0, new byte[16], 16);
        assertThatThrownBy(() -> parse(outside).physicalEntry()).hasMessageContaining("lies in no loadable segment");
    }
}
