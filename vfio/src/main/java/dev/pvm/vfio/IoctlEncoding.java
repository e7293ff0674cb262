package dev.pvm.vfio;

/**
 * How Linux packs an ioctl request number: {@code dir << dirShift | size << 16 | type << 8 | nr}. The generic
 * layout (x86-64, arm64; include/uapi/asm-generic/ioctl.h) has a 14-bit size and 2-bit direction with NONE = 0;
 * powerpc (arch/powerpc/include/uapi/asm/ioctl.h) has a 13-bit size and 3-bit direction with NONE = 1, READ = 2,
 * WRITE = 4 -- so every VFIO number gains 0x20000000 on a POWER9 host (spec 8.2).
 */
public enum IoctlEncoding {
  GENERIC(14, 0, 2, 1),
  POWERPC(13, 1, 2, 4);

  private static final int NR_SHIFT = 0;
  private static final int TYPE_SHIFT = 8;
  private static final int SIZE_SHIFT = 16;

  private final int sizeBits;
  private final int dirNone;
  private final int dirRead;
  private final int dirWrite;

  IoctlEncoding(int sizeBits, int dirNone, int dirRead, int dirWrite) {
    this.sizeBits = sizeBits;
    this.dirNone = dirNone;
    this.dirRead = dirRead;
    this.dirWrite = dirWrite;
  }

  /** _IO(type, nr): no data direction, no size (every VFIO ioctl). */
  public int io(int type, int nr) {
    return ioc(dirNone, type, nr, 0);
  }

  /** _IOR(type, nr, size). */
  public int ior(int type, int nr, int size) {
    return ioc(dirRead, type, nr, size);
  }

  /** _IOW(type, nr, size). */
  public int iow(int type, int nr, int size) {
    return ioc(dirWrite, type, nr, size);
  }

  /** _IOWR(type, nr, size). */
  public int iowr(int type, int nr, int size) {
    return ioc(dirRead | dirWrite, type, nr, size);
  }

  private int ioc(int dir, int type, int nr, int size) {
    if (type < 0 || type > 0xff || nr < 0 || nr > 0xff || size < 0 || size >= 1 << sizeBits) {
      throw new IllegalArgumentException("ioctl field out of range: type " + type + " nr " + nr + " size " + size);
    }
    return dir << (SIZE_SHIFT + sizeBits) | size << SIZE_SHIFT | type << TYPE_SHIFT | nr << NR_SHIFT;
  }

  /** The encoding of the machine this JVM runs on ("ppc64", "ppc64le" and "ppc" use powerpc's). */
  public static IoctlEncoding ofHost() {
    return forArch(System.getProperty("os.arch"));
  }

  public static IoctlEncoding forArch(String osArch) {
    return osArch.startsWith("ppc") ? POWERPC : GENERIC;
  }
}
