package dev.pvm.engine.linuxuser;

/** The errno values the runner itself answers (include/uapi/asm-generic/errno-base.h and errno.h). */
final class LinuxErrno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EBADF = 9;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int EEXIST = 17;
    static final int ENOTDIR = 20;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ERANGE = 34;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int ETIMEDOUT = 110;

    private LinuxErrno() {
    }
}
