package dev.pvm.engine.linuxuser;

import dev.pvm.engine.cpu.CpuModel;
import dev.pvm.engine.cpu.CpuState;
import dev.pvm.engine.cpu.Fscr;
import dev.pvm.engine.cpu.Msr;
import dev.pvm.engine.loader.ElfFormatException;
import dev.pvm.engine.loader.ElfImage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * exec(2) for a static ppc64 ELF executable: maps its PT_LOAD segments at their virtual addresses, builds the
 * initial stack (argc, argv, envp, auxv and the strings they point at) as fs/binfmt_elf.c's
 * create_elf_tables lays it out, and sets the registers the way arch/powerpc/kernel/process.c start_thread
 * does: r1 the stack pointer, and for ELFv1 (big-endian) the entry point and r2 read from the function
 * descriptor e_entry points at, for ELFv2 the entry in NIA and r12.
 */
public final class ProgramLoader {

    /** ELF_ET_DYN_BASE for 64-bit tasks (arch/powerpc/include/asm/elf.h): where a static-pie is placed. */
    static final long ET_DYN_BASE = 0x1_0000_0000L;
    /** MSR[VEC] (bit 38) and MSR[VSX] (bit 40), Book III 4.2.1. */
    static final long MSR_VEC = Msr.VEC;
    static final long MSR_VSX = Msr.VSX;
    /**
     * The MSR a 64-bit task runs with: MSR_USER64 (arch/powerpc/include/asm/reg.h: SF, PR, EE, ME and RI) with
     * FP, VEC and VSX on. Linux enables those facilities lazily, on the first unavailable interrupt
     * (load_up_fpu / load_up_altivec / load_up_vsx), invisibly to the program, so a runner that owns all the
     * state can enable them from the start. FE0/FE1 stay 0: floating-point exceptions are disabled until
     * prctl(PR_SET_FPEXC), the kernel's default.
     */
    static final long USER_MSR = Msr.SF | Msr.PR | Msr.EE | Msr.ME | Msr.RI | Msr.FP | MSR_VEC | MSR_VSX;
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;
    private static final int PF_W = 2;
    private static final int PF_R = 4;

    // Auxiliary vector types (include/uapi/linux/auxvec.h, arch/powerpc/include/uapi/asm/auxvec.h).
    static final int AT_NULL = 0;
    static final int AT_PHDR = 3;
    static final int AT_PHENT = 4;
    static final int AT_PHNUM = 5;
    static final int AT_PAGESZ = 6;
    static final int AT_BASE = 7;
    static final int AT_FLAGS = 8;
    static final int AT_ENTRY = 9;
    static final int AT_UID = 11;
    static final int AT_EUID = 12;
    static final int AT_GID = 13;
    static final int AT_EGID = 14;
    static final int AT_PLATFORM = 15;
    static final int AT_HWCAP = 16;
    static final int AT_CLKTCK = 17;
    static final int AT_DCACHEBSIZE = 19;
    static final int AT_ICACHEBSIZE = 20;
    static final int AT_UCACHEBSIZE = 21;
    static final int AT_IGNOREPPC = 22;
    static final int AT_SECURE = 23;
    static final int AT_BASE_PLATFORM = 24;
    static final int AT_RANDOM = 25;
    static final int AT_HWCAP2 = 26;
    static final int AT_EXECFN = 31;
    static final int AT_L1I_CACHESIZE = 40;
    static final int AT_L1I_CACHEGEOMETRY = 41;
    static final int AT_L1D_CACHESIZE = 42;
    static final int AT_L1D_CACHEGEOMETRY = 43;
    static final int AT_L2_CACHESIZE = 44;
    static final int AT_L2_CACHEGEOMETRY = 45;
    static final int AT_L3_CACHESIZE = 46;
    static final int AT_L3_CACHEGEOMETRY = 47;

    /** POWER9 caches as the kernel reports them: L2 512 KiB 8-way, L3 10 MiB 20-way, 128-byte lines. */
    private static final long L2_SIZE = 512L << 10;
    private static final long L3_SIZE = 10L << 20;

    /**
     * What exec produced.
     *
     * @param littleEndian whether the program runs with MSR[LE]=1
     * @param elfV1        whether the program uses the ELFv1 ABI (function descriptors)
     * @param entry        e_entry as the file says (AT_ENTRY)
     * @param brkStart     where the break starts
     */
    public record LoadedProgram(boolean littleEndian, boolean elfV1, long entry, long brkStart) {
    }

    private ProgramLoader() {
    }

    /**
     * Loads {@code file} (the executable's bytes) and prepares {@code cpu} to run it.
     *
     * @param execPath the path the program was started with (AT_EXECFN, argv[0] is separate)
     * @throws ElfFormatException when the file is not a ppc64 executable this runner can start
     */
    public static LoadedProgram load(MemorySegment file, String execPath, List<String> argv, List<String> envp,
            VirtualMemoryManager vm, CpuState cpu, CpuModel model, UserIdentity ids) {
        ElfImage image = ElfImage.parse(file);
        ByteOrder order = image.byteOrder();
        ValueLayout.OfLong u64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
        ValueLayout.OfShort u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
        ValueLayout.OfInt u32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        int eFlags = file.get(u32, 48);
        boolean little = order == ByteOrder.LITTLE_ENDIAN;
        // e_flags & EF_PPC64_ABI (3): 1 = ELFv1, 2 = ELFv2, 0 = unspecified, which means ELFv1 on big-endian
        // (arch/powerpc/include/asm/elf.h: SET_PERSONALITY / is_elf2_task()).
        int abi = eFlags & 3;
        boolean elfV1 = abi == 1 || (abi == 0 && !little);
        long bias = image.positionIndependent() ? ET_DYN_BASE : 0;
        UserAddressSpace memory = vm.memory();

        long phoff = file.get(u64, 32);
        int phentsize = file.get(u16, 54) & 0xffff;
        int phnum = file.get(u16, 56) & 0xffff;
        long phdrAddress = 0;
        long end = 0;
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * phentsize;
            if (file.get(u32, ph) != PT_LOAD) {
                continue;
            }
            int flags = file.get(u32, ph + 4);
            long offset = file.get(u64, ph + 8);
            long vaddr = file.get(u64, ph + 16) + bias;
            long filesz = file.get(u64, ph + 32);
            long memsz = file.get(u64, ph + 40);
            long start = vaddr & -UserAddressSpace.PAGE_SIZE;
            long segEnd = VirtualMemoryManager.pageUp(vaddr + memsz);
            if (segEnd > vm.mmapTop() || vaddr < 0) {
                throw new ElfFormatException(String.format("segment at 0x%x does not fit the user address space",
                        vaddr));
            }
            int prot = ((flags & PF_R) != 0 ? UserAddressSpace.PROT_READ : 0)
                    | ((flags & PF_W) != 0 ? UserAddressSpace.PROT_WRITE : 0)
                    | ((flags & PF_X) != 0 ? UserAddressSpace.PROT_EXEC : 0);
            // Segments may share a page (text and data of a small program): map the union writable while
            // copying, then apply each segment's protection.
            if (memory.free(start, segEnd - start)) {
                memory.map(start, segEnd - start, prot | UserAddressSpace.PROT_WRITE);
            } else {
                memory.protect(start, segEnd - start, memory.protection(start) | prot | UserAddressSpace.PROT_WRITE);
            }
            memory.write(vaddr, file.asSlice(offset, filesz));
            memory.protect(start, segEnd - start, memory.protection(start) & ~UserAddressSpace.PROT_WRITE | prot);
            if (phoff >= offset && phoff + (long) phnum * phentsize <= offset + filesz) {
                phdrAddress = vaddr + (phoff - offset);
            }
            end = Math.max(end, vaddr + memsz);
        }
        vm.setBrkStart(end);
        vm.mapStack();
        long tramp = vm.sigreturnTrampoline();
        memory.map(tramp, UserAddressSpace.PAGE_SIZE, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        memory.store32(tramp, SignalFrame.LI_R0 | LinuxSyscalls.NR_RT_SIGRETURN, order);
        memory.store32(tramp + 4, SignalFrame.SC, order);
        memory.protect(tramp, UserAddressSpace.PAGE_SIZE, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_EXEC);

        long entry = image.entry() + bias;
        cpu.reset(USER_MSR | (little ? Msr.LE : 0));
        // Linux lets processes use TAR and DSCR (init_FSCR, and the DSCR emulation that sets FSCR[DSCR]).
        cpu.fscr = Fscr.TAR | Fscr.DSCR;
        long pc = entry;
        if (elfV1) {
            pc = memory.load64(entry, order);
            cpu.gpr[2] = memory.load64(entry + 8, order);
        } else {
            cpu.gpr[12] = entry;
        }

        StackBuilder stack = new StackBuilder(memory, vm.stackTop(), order);
        // Strings at the top, as copy_strings puts them: the file name, the environment, the arguments.
        long execfn = stack.pushString(execPath);
        List<Long> envAddresses = new ArrayList<>();
        for (int i = envp.size() - 1; i >= 0; i--) {
            envAddresses.addFirst(stack.pushString(envp.get(i)));
        }
        List<Long> argAddresses = new ArrayList<>();
        for (int i = argv.size() - 1; i >= 0; i--) {
            argAddresses.addFirst(stack.pushString(argv.get(i)));
        }
        // create_elf_tables: the platform strings, then 16 random bytes.
        long platform = stack.pushString(Power9Hwcaps.PLATFORM);
        long basePlatform = stack.pushString(Power9Hwcaps.PLATFORM);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        long randomAddress = stack.pushBytes(random);

        long cacheLine = model.cacheBlockBytes();
        long geometry = (8L << 16) | cacheLine;
        long[] auxv = {
            // ARCH_DLINFO (arch/powerpc/include/asm/elf.h) comes first.
            AT_IGNOREPPC, AT_IGNOREPPC,
            AT_IGNOREPPC, AT_IGNOREPPC,
            AT_DCACHEBSIZE, cacheLine,
            AT_ICACHEBSIZE, cacheLine,
            // The kernel reports 0 since the unified-cache value was dropped (ARCH_DLINFO: AT_UCACHEBSIZE, 0).
            AT_UCACHEBSIZE, 0,
            AT_L1I_CACHESIZE, model.l1CacheBytes(),
            AT_L1I_CACHEGEOMETRY, geometry,
            AT_L1D_CACHESIZE, model.l1CacheBytes(),
            AT_L1D_CACHEGEOMETRY, geometry,
            AT_L2_CACHESIZE, L2_SIZE,
            AT_L2_CACHEGEOMETRY, geometry,
            AT_L3_CACHESIZE, L3_SIZE,
            AT_L3_CACHEGEOMETRY, (20L << 16) | cacheLine,
            AT_HWCAP, Power9Hwcaps.HWCAP,
            AT_PAGESZ, UserAddressSpace.PAGE_SIZE,
            AT_CLKTCK, 100,
            AT_PHDR, phdrAddress,
            AT_PHENT, phentsize,
            AT_PHNUM, phnum,
            AT_BASE, 0,
            AT_FLAGS, 0,
            AT_ENTRY, entry,
            AT_UID, ids.uid(),
            AT_EUID, ids.euid(),
            AT_GID, ids.gid(),
            AT_EGID, ids.egid(),
            AT_SECURE, 0,
            AT_RANDOM, randomAddress,
            AT_HWCAP2, Power9Hwcaps.HWCAP2,
            AT_EXECFN, execfn,
            AT_PLATFORM, platform,
            AT_BASE_PLATFORM, basePlatform,
            AT_NULL, 0,
        };
        // argc, argv[], NULL, envp[], NULL, auxv: the block's start is 16-byte aligned (STACK_ROUND).
        int words = 1 + argAddresses.size() + 1 + envAddresses.size() + 1 + auxv.length;
        long sp = stack.alignDown(words * 8L, 16);
        long at = sp;
        memory.store64(at, argAddresses.size(), order);
        at += 8;
        for (long a : argAddresses) {
            memory.store64(at, a, order);
            at += 8;
        }
        memory.store64(at, 0, order);
        at += 8;
        for (long a : envAddresses) {
            memory.store64(at, a, order);
            at += 8;
        }
        memory.store64(at, 0, order);
        at += 8;
        for (long v : auxv) {
            memory.store64(at, v, order);
            at += 8;
        }
        cpu.gpr[1] = sp;
        cpu.nia = pc;
        cpu.cia = pc;
        return new LoadedProgram(little, elfV1, entry, end);
    }

    /** Pushes data down from the top of the stack. */
    private static final class StackBuilder {
        private final UserAddressSpace memory;
        private final ByteOrder order;
        private long sp;

        StackBuilder(UserAddressSpace memory, long top, ByteOrder order) {
            this.memory = memory;
            this.order = order;
            this.sp = top - 8;
            memory.store64(sp, 0, order);
        }

        long pushString(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            sp -= bytes.length + 1;
            memory.write(sp, bytes);
            memory.store8(sp + bytes.length, 0);
            return sp;
        }

        long pushBytes(byte[] bytes) {
            sp -= bytes.length;
            memory.write(sp, bytes);
            return sp;
        }

        /** Reserves {@code length} bytes below the current position, with the start aligned down. */
        long alignDown(long length, long alignment) {
            sp = (sp - length) & -alignment;
            return sp;
        }
    }
}
