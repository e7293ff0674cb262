package dev.pvm.engine.linuxuser;

import static dev.pvm.engine.linuxuser.UserAddressSpace.PAGE_SIZE;

/**
 * The process's memory system calls over a {@link UserAddressSpace}: brk, mmap, munmap, mprotect, mremap,
 * with the placement rules of Linux's mm (mm/mmap.c, mm/mremap.c) that programs can observe: a break that
 * starts page-aligned after the executable's .bss and never shrinks below it, mappings placed top-down below
 * the stack, MAP_FIXED replacing what was there, MAP_FIXED_NOREPLACE failing with EEXIST.
 *
 * <p>Layout of the address space (addresses below {@link UserAddressSpace#size()}): the executable where it is
 * linked (0x10000000 for ppc64 static executables), the break after it, anonymous and file mappings growing
 * down from {@link #mmapTop()}, and the stack under the top of the space.
 */
public final class VirtualMemoryManager {

    static final int MAP_SHARED = 0x01;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    /** arch/powerpc/include/uapi/asm/mman.h differs from x86 for NORESERVE and LOCKED; neither matters here. */
    static final int MAP_FIXED_NOREPLACE = 0x100000;
    static final int MREMAP_MAYMOVE = 1;
    static final int MREMAP_FIXED = 2;

    /** The stack's size: RLIMIT_STACK's usual 8 MiB. */
    public static final long STACK_SIZE = 8L << 20;

    private final UserAddressSpace memory;
    private final long stackTop;
    private final long mmapTop;
    private long brkStart;
    private long brk;

    public VirtualMemoryManager(UserAddressSpace memory) {
        this.memory = memory;
        this.stackTop = memory.size() - PAGE_SIZE;
        // A 1 GiB gap under the stack, as mmap_base leaves room for stack growth (mm/util.c mmap_base).
        this.mmapTop = stackTop - STACK_SIZE - (1L << 30);
    }

    public UserAddressSpace memory() {
        return memory;
    }

    /** One past the highest stack address. */
    public long stackTop() {
        return stackTop;
    }

    public long mmapTop() {
        return mmapTop;
    }

    /**
     * The page holding the signal return trampoline, the runner's stand-in for the vDSO's
     * __kernel_sigtramp_rt64 (arch/powerpc/kernel/vdso/sigtramp64.S): handlers return through it, and it must
     * be executable while the stack is not. It sits in the gap between the mappings and the stack.
     */
    public long sigreturnTrampoline() {
        return mmapTop + PAGE_SIZE;
    }

    static long pageUp(long v) {
        return (v + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    /** Maps the stack: [stackTop - STACK_SIZE, stackTop), read-write. */
    public void mapStack() {
        memory.map(stackTop - STACK_SIZE, STACK_SIZE, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
    }

    /** Sets where the break starts: the end of the executable's highest segment. */
    public void setBrkStart(long end) {
        brkStart = pageUp(end);
        brk = brkStart;
    }

    /**
     * brk(2) as the kernel implements it (mm/mmap.c SYSCALL_DEFINE1(brk)): moves the break when it can and
     * answers the break in force, the old one on failure (glibc's brk wrapper detects failure that way).
     */
    public long brk(long requested) {
        if (requested < brkStart) {
            return brk;
        }
        long oldEnd = pageUp(brk);
        long newEnd = pageUp(requested);
        if (newEnd > oldEnd) {
            if (newEnd >= mmapTop || !memory.free(oldEnd, newEnd - oldEnd)) {
                return brk;
            }
            memory.map(oldEnd, newEnd - oldEnd, UserAddressSpace.PROT_READ | UserAddressSpace.PROT_WRITE);
        } else if (newEnd < oldEnd) {
            memory.unmap(newEnd, oldEnd - newEnd);
        }
        brk = requested;
        return brk;
    }

    /**
     * Finds and maps room for an anonymous mapping (or the start of a file mapping, filled by the caller).
     *
     * @return the address, or a negative errno
     */
    public long mmap(long address, long length, int prot, int flags) {
        if (length <= 0) {
            return -LinuxErrno.EINVAL;
        }
        if ((address & (PAGE_SIZE - 1)) != 0 && (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            return -LinuxErrno.EINVAL;
        }
        long size = pageUp(length);
        long where;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if (address + size > memory.size() || address + size < address) {
                return -LinuxErrno.ENOMEM;
            }
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && !memory.free(address, size)) {
                return -LinuxErrno.EEXIST;
            }
            where = address;
        } else {
            where = -1;
            if (address != 0) {
                long hint = pageUp(address);
                if (hint + size <= mmapTop && memory.free(hint, size)) {
                    where = hint;
                }
            }
            if (where < 0) {
                where = findFree(size);
                if (where < 0) {
                    return -LinuxErrno.ENOMEM;
                }
            }
        }
        memory.map(where, size, prot);
        return where;
    }

    /** The highest free range of {@code size} bytes below mmapTop and above the break (top-down allocation). */
    private long findFree(long size) {
        long candidate = mmapTop - size;
        long floor = pageUp(brk) + (64L << 20);
        while (candidate >= floor) {
            // Walk down over the first mapped page found in [candidate, candidate + size).
            long mappedAt = -1;
            for (long a = candidate + size - PAGE_SIZE; a >= candidate; a -= PAGE_SIZE) {
                if (memory.mapped(a)) {
                    mappedAt = a;
                    break;
                }
            }
            if (mappedAt < 0) {
                return candidate;
            }
            candidate = mappedAt - size;
        }
        return -1;
    }

    /** munmap(2): page-aligned start, any length; unmapping nothing is not an error. */
    public long munmap(long address, long length) {
        if ((address & (PAGE_SIZE - 1)) != 0 || length <= 0 || address + length > memory.size()) {
            return -LinuxErrno.EINVAL;
        }
        memory.unmap(address, pageUp(length));
        return 0;
    }

    /** mprotect(2): ENOMEM when part of the range is unmapped. */
    public long mprotect(long address, long length, int prot) {
        if ((address & (PAGE_SIZE - 1)) != 0) {
            return -LinuxErrno.EINVAL;
        }
        if (length == 0) {
            return 0;
        }
        if (address + pageUp(length) > memory.size()) {
            return -LinuxErrno.ENOMEM;
        }
        return memory.protect(address, pageUp(length), prot) ? 0 : -LinuxErrno.ENOMEM;
    }

    /** mremap(2) for private anonymous memory: shrink in place, grow in place when free, else move (MAYMOVE). */
    public long mremap(long oldAddress, long oldLength, long newLength, int flags, long newAddress) {
        if ((oldAddress & (PAGE_SIZE - 1)) != 0 || newLength <= 0) {
            return -LinuxErrno.EINVAL;
        }
        long oldSize = pageUp(oldLength);
        long newSize = pageUp(newLength);
        if (!memory.mapped(oldAddress)) {
            return -LinuxErrno.EFAULT;
        }
        int prot = memory.protection(oldAddress);
        if ((flags & MREMAP_FIXED) != 0) {
            if ((flags & MREMAP_MAYMOVE) == 0 || (newAddress & (PAGE_SIZE - 1)) != 0) {
                return -LinuxErrno.EINVAL;
            }
            memory.map(newAddress, newSize, prot | UserAddressSpace.PROT_WRITE);
            memory.copyWithin(oldAddress, newAddress, Math.min(oldSize, newSize));
            memory.protect(newAddress, newSize, prot);
            memory.unmap(oldAddress, oldSize);
            return newAddress;
        }
        if (newSize <= oldSize) {
            if (newSize < oldSize) {
                memory.unmap(oldAddress + newSize, oldSize - newSize);
            }
            return oldAddress;
        }
        if (memory.free(oldAddress + oldSize, newSize - oldSize)) {
            memory.map(oldAddress + oldSize, newSize - oldSize, prot);
            return oldAddress;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) {
            return -LinuxErrno.ENOMEM;
        }
        long target = findFree(newSize);
        if (target < 0) {
            return -LinuxErrno.ENOMEM;
        }
        memory.map(target, newSize, prot | UserAddressSpace.PROT_WRITE);
        memory.copyWithin(oldAddress, target, oldSize);
        memory.protect(target, newSize, prot);
        memory.unmap(oldAddress, oldSize);
        return target;
    }
}
