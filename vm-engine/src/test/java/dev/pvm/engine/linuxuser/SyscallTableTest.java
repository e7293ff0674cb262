package dev.pvm.engine.linuxuser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyscallTableTest {

    private final SyscallTable table = SyscallTable.ppc64();

    @Test
    void numbersAreThePowerpcOnes() {
        // arch/powerpc/kernel/syscalls/syscall.tbl
        assertThat(table.number("read")).isEqualTo(3);
        assertThat(table.number("write")).isEqualTo(4);
        assertThat(table.number("mmap")).isEqualTo(90);
        assertThat(table.number("rt_sigreturn")).isEqualTo(172);
        assertThat(table.number("exit_group")).isEqualTo(234);
        assertThat(table.number("newfstatat")).isEqualTo(291);
        assertThat(table.number("statx")).isEqualTo(383);
        assertThat(table.name(359)).isEqualTo("getrandom");
        assertThat(table.name(9999)).isEqualTo("syscall_9999");
    }

    @Test
    void openFlagsThatDifferAreTranslatedBothWays() {
        int guestDirectoryNoFollow = 040000 | 0100000 | 02; // O_DIRECTORY | O_NOFOLLOW | O_RDWR on ppc64
        int host = FileSyscalls.hostOpenFlags(guestDirectoryNoFollow);
        assertThat(host).isEqualTo(0200000 | 0400000 | 02);
        assertThat(FileSyscalls.guestOpenFlags(host)).isEqualTo(guestDirectoryNoFollow);
        assertThat(FileSyscalls.hostOpenFlags(0100 | 01000 | 02000000)).as("O_CREAT|O_TRUNC|O_CLOEXEC agree")
                .isEqualTo(0100 | 01000 | 02000000);
    }
}
