/*
 * A program with no C library at all: the kernel's entry state is all it
 * has. It reads argc/argv from the stack (0(r1), 8(r1), ...), writes them
 * with the write system call, checks the ppc64 error convention (CR0[SO]
 * set and r3 = errno on a failed `sc`), and leaves with exit_group(7).
 *
 * On ELFv1 (big-endian) _start is a function descriptor in .opd and e_entry
 * points at the descriptor, which the loader must follow; on ELFv2 e_entry
 * is the code itself. Addresses come from bl/mflr, so no TOC is needed.
 */
        .machine power8

#define SYS_write      4
#define SYS_exit_group 234
#define EBADF          9

#if _CALL_ELF == 2
        .abiversion 2
        .text
        .globl _start
        .type _start, @function
_start:
#else
        .section ".opd", "aw"
        .p2align 3
        .globl _start
_start:
        .quad .L._start, .TOC.@tocbase, 0
        .text
        .type _start, @function
.L._start:
#endif
        ld 14, 0(1)                 /* argc */
        addi 15, 1, 8               /* &argv[0] */

        bl 1f
        .ascii "raw_start: hello from _start\n"
        .p2align 2
1:      mflr 4
        li 5, 29
        bl write1

        /* "argc=N\n" with N < 10, built in the red zone below the stack pointer */
        li 8, 0x61                  /* 'a' 'r' 'g' 'c' '=' */
        stb 8, -64(1)
        li 8, 0x72
        stb 8, -63(1)
        li 8, 0x67
        stb 8, -62(1)
        li 8, 0x63
        stb 8, -61(1)
        li 8, 0x3d
        stb 8, -60(1)
        addi 8, 14, 0x30
        stb 8, -59(1)
        li 8, 0x0a
        stb 8, -58(1)
        addi 4, 1, -64
        li 5, 7
        bl write1

        /* each argv[i] for i >= 1 on its own line */
        li 16, 1
2:      cmpd 16, 14
        bge 4f
        sldi 8, 16, 3
        ldx 4, 15, 8                /* argv[i] */
        li 5, 0
3:      lbzx 8, 4, 5                /* strlen */
        cmpdi 8, 0
        beq 5f
        addi 5, 5, 1
        b 3b
5:      bl write1
        bl 6f
        .ascii "\n"
        .p2align 2
6:      mflr 4
        li 5, 1
        bl write1
        addi 16, 16, 1
        b 2b

        /* write(99, ...) must fail: CR0[SO] set and r3 = EBADF */
4:      li 0, SYS_write
        li 3, 99
        mr 4, 1
        li 5, 1
        sc
        bns- 7f
        cmpdi 3, EBADF
        bne- 7f
        bl 8f
        .ascii "bad fd: SO set, r3=EBADF\n"
        .p2align 2
8:      mflr 4
        li 5, 25
        bl write1
        li 3, 7
        b 9f
7:      li 3, 1                     /* wrong error convention: exit 1 */
9:      li 0, SYS_exit_group
        sc
        trap                        /* not reached */

/* write(1, r4, r5); clobbers r0, r3 and what the system call may change.
 * Uses only the link register to return, which bl set. */
write1:
        li 0, SYS_write
        li 3, 1
        sc
        blr

        .section .note.GNU-stack, "", @progbits
