/*
 * File and directory system calls on a fresh temporary directory (under
 * $TMPDIR, else /tmp; removed at the end): open with O_CREAT/O_EXCL/O_TRUNC/
 * O_APPEND, read/write, lseek with SEEK_SET/CUR/END and past the end (holes),
 * pread/pwrite, readv/writev, fstat/stat/lstat/fstatat, ftruncate, dup/dup2/
 * fcntl, pipe, rename, link, symlink/readlink, mkdir/rmdir, unlink, access,
 * chdir/getcwd, getdents64 through opendir/readdir (names sorted before
 * printing: directory order is the host file system's), stdio buffering on
 * top, and errno values for the usual failures.
 *
 * Nothing host-specific is printed: no inode numbers, times, block counts
 * or the directory's own name.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tp.h"

static char dir[512];

static const char *errname(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EBADF: return "EBADF";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EINVAL: return "EINVAL";
    case ESPIPE: return "ESPIPE";
    case EACCES: return "EACCES";
    default: return "other";
    }
}

static void path(char *out, const char *name) { snprintf(out, 600, "%s/%s", dir, name); }

static const char *kind(mode_t m)
{
    return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" : S_ISFIFO(m) ? "fifo" : "other";
}

static void basic_rw(void)
{
    tp_printf("-- open/read/write/lseek\n");
    char p[600];
    path(p, "data.bin");
    int fd = open(p, O_CREAT | O_RDWR | O_EXCL, 0640);
    TP_CHECK(fd >= 0, "open O_CREAT");
    int again = open(p, O_CREAT | O_RDWR | O_EXCL, 0640);
    tp_printf("O_EXCL on existing: ret=%d errno=%s\n", again, errname(errno));

    /* 1 MiB of a deterministic pattern, written in odd-sized chunks. */
    static unsigned char buf[1 << 20];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(tp_rand() >> 56);
    size_t done = 0, chunk = 1;
    while (done < sizeof buf) {
        size_t n = chunk < sizeof buf - done ? chunk : sizeof buf - done;
        ssize_t w = write(fd, buf + done, n);
        TP_CHECK(w == (ssize_t)n, "write");
        done += n;
        chunk = chunk * 3 + 1;
    }
    off_t end = lseek(fd, 0, SEEK_CUR);
    off_t set = lseek(fd, 1000, SEEK_SET);
    unsigned char r[64];
    ssize_t got = read(fd, r, sizeof r);
    off_t cur = lseek(fd, -32, SEEK_CUR);
    off_t fromend = lseek(fd, -10, SEEK_END);
    ssize_t tail = read(fd, r + 32, 32);
    tp_printf("size=%lld seek_set=%lld read=%zd at %02x%02x seek_cur=%lld seek_end=%lld tail_read=%zd eof_read=%zd\n",
              (long long)end, (long long)set, got, r[0], r[1], (long long)cur, (long long)fromend, tail,
              read(fd, r, 8));
    TP_CHECK(memcmp(r, buf + 1000, 32) == 0, "read back");

    /* A hole: write beyond the end, the gap reads as zeros. */
    lseek(fd, (off_t)(sizeof buf) + 4096, SEEK_SET);
    write(fd, "END", 3);
    struct stat st;
    fstat(fd, &st);
    unsigned char z[16];
    pread(fd, z, sizeof z, (off_t)sizeof buf + 100);
    int zeros = 1;
    for (int i = 0; i < 16; i++)
        zeros &= z[i] == 0;
    tp_printf("after hole: size=%lld hole_reads_zero=%d kind=%s mode=%o nlink=%lu\n", (long long)st.st_size, zeros,
              kind(st.st_mode), st.st_mode & 07777, (unsigned long)st.st_nlink);

    /* Read it all back and hash. */
    lseek(fd, 0, SEEK_SET);
    static unsigned char back[(1 << 20) + 8192];
    ssize_t total = 0, n;
    while ((n = read(fd, back + total, 7777)) > 0)
        total += n;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (ssize_t i = 0; i < total; i++)
        h = (h ^ back[i]) * 0x100000001b3ULL;
    tp_printf("read back %zd bytes hash=%016llx same_prefix=%d\n", total, (unsigned long long)h,
              memcmp(back, buf, sizeof buf) == 0);

    /* pwrite/pread leave the offset alone; ftruncate shrinks. */
    off_t before = lseek(fd, 123, SEEK_SET);
    pwrite(fd, "PWRITE", 6, 10);
    char pr[7] = {0};
    pread(fd, pr, 6, 10);
    off_t after = lseek(fd, 0, SEEK_CUR);
    ftruncate(fd, 5000);
    fstat(fd, &st);
    tp_printf("pread=%s offset %lld->%lld truncated size=%lld\n", pr, (long long)before, (long long)after,
              (long long)st.st_size);
    close(fd);
    ssize_t rc = read(fd, r, 1);
    int e = errno; /* taken before the call that prints it: argument order is unspecified */
    tp_printf("read on closed fd: ret=%zd errno=%s\n", rc, errname(e));
}

static void vectors_and_fds(void)
{
    tp_printf("-- writev/readv, O_APPEND, dup, fcntl, pipe\n");
    char p[600];
    path(p, "log.txt");
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    struct iovec iov[3] = {{"alpha ", 6}, {"beta ", 5}, {"gamma\n", 6}};
    ssize_t w = writev(fd, iov, 3);
    close(fd);
    fd = open(p, O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET); /* O_APPEND writes go to the end anyway */
    write(fd, "delta\n", 6);
    int d = dup(fd), d2 = dup2(fd, 100);
    int flags = fcntl(fd, F_GETFL);
    int fdflags = fcntl(d2, F_GETFD);
    fcntl(d2, F_SETFD, FD_CLOEXEC);
    tp_printf("writev=%zd dup=%s dup2=%d append=%d accmode_wr=%d cloexec %d->%d\n", w, d > fd ? "higher" : "lower", d2,
              (flags & O_APPEND) != 0, (flags & O_ACCMODE) == O_WRONLY, fdflags & FD_CLOEXEC,
              fcntl(d2, F_GETFD) & FD_CLOEXEC);
    write(d2, "epsilon\n", 8);
    close(d);
    close(d2);
    close(fd);
    fd = open(p, O_RDONLY);
    char a[8], b[64] = {0};
    struct iovec rv[2] = {{a, sizeof a}, {b, sizeof b - 1}};
    ssize_t rd = readv(fd, rv, 2);
    tp_printf("readv=%zd first=%.8s rest=%s", rd, a, b);
    close(fd);

    int pf[2];
    TP_CHECK(pipe(pf) == 0, "pipe");
    write(pf[1], "through a pipe", 14);
    char pb[32] = {0};
    ssize_t pr = read(pf[0], pb, sizeof pb);
    off_t ls = lseek(pf[0], 0, SEEK_SET);
    int e = errno;
    tp_printf("pipe read=%zd '%s' lseek on pipe: %lld errno=%s\n", pr, pb, (long long)ls, errname(e));
    close(pf[0]);
    close(pf[1]);
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list_dir(const char *label, const char *dpath)
{
    DIR *dp = opendir(dpath);
    TP_CHECK(dp != NULL, "opendir");
    if (!dp)
        return;
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL && n < 64) {
        const char *t = e->d_type == DT_REG ? "f" : e->d_type == DT_DIR ? "d" : e->d_type == DT_LNK ? "l" : "?";
        char *s = malloc(strlen(e->d_name) + 4);
        sprintf(s, "%s:%s", e->d_name, t);
        names[n++] = s;
    }
    closedir(dp);
    qsort(names, (size_t)n, sizeof names[0], cmpstr);
    tp_printf("%s (%d entries):", label, n);
    for (int i = 0; i < n; i++) {
        tp_printf(" %s", names[i]);
        free(names[i]);
    }
    tp_printf("\n");
}

static void directories(void)
{
    tp_printf("-- directories, links, rename, unlink\n");
    char p[600], q[600];
    path(p, "sub");
    TP_CHECK(mkdir(p, 0755) == 0, "mkdir");
    int r = mkdir(p, 0755), e = errno;
    tp_printf("mkdir again: %d %s\n", r, errname(e));
    for (int i = 0; i < 40; i++) {
        char name[64];
        snprintf(name, sizeof name, "sub/file-%02d-%s", (i * 17) % 40, i % 3 ? "x" : "longer-name-for-getdents");
        path(q, name);
        int fd = open(q, O_CREAT | O_WRONLY, 0644);
        write(fd, name, strlen(name));
        close(fd);
    }
    path(p, "sub/inner");
    mkdir(p, 0700);
    path(p, "data.bin");
    path(q, "sub/hardlink");
    TP_CHECK(link(p, q) == 0, "link");
    path(q, "sub/symlink");
    TP_CHECK(symlink("../data.bin", q) == 0, "symlink");
    char target[64] = {0};
    ssize_t tl = readlink(q, target, sizeof target - 1);
    struct stat ls, ss;
    lstat(q, &ls);
    stat(q, &ss);
    tp_printf("readlink=%zd '%s' lstat=%s stat=%s size=%lld\n", tl, target, kind(ls.st_mode), kind(ss.st_mode),
              (long long)ss.st_size);
    stat(p, &ss);
    tp_printf("data.bin nlink=%lu\n", (unsigned long)ss.st_nlink);

    path(p, "sub");
    list_dir("sub", p);
    int dfd = open(p, O_RDONLY | O_DIRECTORY);
    struct stat at;
    int fr = fstatat(dfd, "inner", &at, 0);
    int ow = open(p, O_WRONLY);
    e = errno;
    tp_printf("fstatat(inner)=%d kind=%s mode=%o; open dir for write: %d %s\n", fr, kind(at.st_mode),
              at.st_mode & 0777, ow, errname(e));
    close(dfd);

    path(p, "sub/file-00-longer-name-for-getdents");
    path(q, "sub/renamed");
    TP_CHECK(rename(p, q) == 0, "rename");
    int a_old = access(p, F_OK);
    e = errno;
    tp_printf("old name after rename: access=%d %s; new: access=%d\n", a_old, errname(e), access(q, R_OK));
    path(p, "sub");
    r = rmdir(p);
    e = errno;
    tp_printf("rmdir non-empty: %d %s\n", r, errname(e));
    int ul = unlink("/nonexistent-pvm-test/x"), e1 = errno;
    int op = open("/nonexistent-pvm-test/x", O_RDONLY), e2 = errno;
    tp_printf("unlink missing: %d %s; open missing: %d %s\n", ul, errname(e1), op, errname(e2));

    char cwd[1024];
    char *old = getcwd(cwd, sizeof cwd);
    TP_CHECK(old != NULL, "getcwd");
    TP_CHECK(chdir(p) == 0, "chdir");
    char here[1024];
    getcwd(here, sizeof here);
    size_t hl = strlen(here);
    tp_printf("getcwd after chdir ends with /sub: %d; relative open: %d\n", hl >= 4 && strcmp(here + hl - 4, "/sub") == 0,
              open("renamed", O_RDONLY) >= 0);
    chdir(cwd);
}

/* stdio on top of the same system calls. */
static void stdio_layer(void)
{
    tp_printf("-- stdio\n");
    char p[600];
    path(p, "stdio.txt");
    FILE *f = fopen(p, "w+");
    for (int i = 0; i < 500; i++)
        fprintf(f, "line %d: %08x %.3f\n", i, (unsigned)(i * 2654435761u), i / 7.0);
    fflush(f);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char line[128];
    int lines = 0;
    uint64_t h = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        for (char *c = line; *c; c++)
            h = h * 31 + (unsigned char)*c;
    }
    fseek(f, -20, SEEK_END);
    fgets(line, sizeof line, f);
    fclose(f);
    tp_printf("size=%ld lines=%d hash=%016llx tail=%s", size, lines, (unsigned long long)h, line);
}

/* Remove everything we created, whatever state the tests left. */
static void cleanup(const char *d)
{
    DIR *dp = opendir(d);
    if (!dp)
        return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(dp)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", d, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            cleanup(p);
        else
            unlink(p);
    }
    closedir(dp);
    rmdir(d);
}

int main(void)
{
    umask(022); /* modes printed below must not depend on the caller's umask */
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/pvm-fileio-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    basic_rw();
    vectors_and_fds();
    directories();
    stdio_layer();
    char sub[600];
    path(sub, "sub");
    list_dir("sub before cleanup", sub);
    cleanup(dir);
    struct stat st;
    tp_printf("temporary directory removed: %d\n", stat(dir, &st) != 0 && errno == ENOENT);
    return tp_finish("fileio");
}
