/* dockertui's one-file launcher. The file is this program followed by a compressed folder (the
 * PyInstaller one-folder build) and a trailer. The first start unpacks the folder once into the
 * user's cache (bundle-<id>, <id> being a hash of the payload); every later start finds it there and
 * only execs it, so no start after the first pays for unpacking. A new build has a new <id>.
 *
 * Needs nothing but the C library (zlib is linked in statically).
 *
 *   payload  = gzip( record* 'E' )
 *   record   = 'D' mode:u32 len:u32 path
 *            | 'F' mode:u32 len:u32 path size:u64 bytes
 *            | 'L' len:u32 path len:u32 target
 *   trailer  = "DTUIPACK" offset:u64 size:u64 id:char[32] pad:char[8]   (64 bytes, at the very end)
 * integers little-endian; paths relative, without "..".
 *
 * Where: $DOCKERTUI_BUNDLE_DIR, else $XDG_CACHE_HOME/dockertui, else $HOME/.cache/dockertui, else
 * /tmp/dockertui-<uid>; that folder must belong to the user and be writable by nobody else. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#define TRAILER 64
#define MAGIC "DTUIPACK"
#define EXE_NAME "dockertui"

static void die(const char *what, const char *detail) {
    fprintf(stderr, "dockertui: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(126);
}

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static uint32_t le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void gz_exact(gzFile gz, void *buf, size_t n) {
    unsigned char *p = buf;
    while (n > 0) {
        unsigned chunk = n > (1u << 30) ? (1u << 30) : (unsigned)n;
        int got = gzread(gz, p, chunk);
        if (got <= 0) die("the bundle inside this file is damaged (short read)", NULL);
        p += got;
        n -= (size_t)got;
    }
}

static uint32_t gz_u32(gzFile gz) {
    unsigned char b[4];
    gz_exact(gz, b, 4);
    return le32(b);
}

static char *gz_path(gzFile gz) {
    uint32_t len = gz_u32(gz);
    if (len == 0 || len >= PATH_MAX) die("the bundle inside this file is damaged (path)", NULL);
    char *s = malloc(len + 1);
    if (!s) die("out of memory", NULL);
    gz_exact(gz, s, len);
    s[len] = 0;
    if (s[0] == '/' || strstr(s, "..")) die("the bundle inside this file names a path outside itself", s);
    return s;
}

static char *join(const char *a, const char *b) {
    char *s;
    if (asprintf(&s, "%s/%s", a, b) < 0) die("out of memory", NULL);
    return s;
}

static void mkdirs(const char *path, mode_t mode) {
    char buf[PATH_MAX];
    if (strlen(path) >= sizeof buf) die("path too long", path);
    strcpy(buf, path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, mode) != 0 && errno != EEXIST) die("cannot create the cache folder", buf);
        *p = '/';
    }
    if (mkdir(buf, mode) != 0 && errno != EEXIST) die("cannot create the cache folder", buf);
}

static void unpack(int fd, uint64_t offset, const char *into) {
    if (lseek(fd, (off_t)offset, SEEK_SET) < 0) die("cannot read this file", strerror(errno));
    int dfd = dup(fd);
    gzFile gz = dfd < 0 ? NULL : gzdopen(dfd, "rb");
    if (!gz) die("cannot read this file", "gzdopen");
    gzbuffer(gz, 1 << 18);
    static unsigned char buf[1 << 18];
    for (;;) {
        unsigned char kind;
        gz_exact(gz, &kind, 1);
        if (kind == 'E') break;
        if (kind == 'D' || kind == 'F') {
            uint32_t mode = gz_u32(gz) & 07777;
            char *rel = gz_path(gz);
            char *path = join(into, rel);
            if (kind == 'D') {
                if (mkdir(path, 0700) != 0 && errno != EEXIST) die("cannot unpack", path);
                if (chmod(path, mode | 0700) != 0) die("cannot unpack", path);
            } else {
                unsigned char b[8];
                gz_exact(gz, b, 8);
                uint64_t size = le64(b);
                int out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode | 0600) & 0755);
                if (out < 0) die("cannot unpack", path);
                while (size > 0) {
                    size_t n = size > sizeof buf ? sizeof buf : (size_t)size;
                    gz_exact(gz, buf, n);
                    for (size_t done = 0; done < n;) {
                        ssize_t w = write(out, buf + done, n - done);
                        if (w < 0) die("cannot unpack (disk full?)", path);
                        done += (size_t)w;
                    }
                    size -= n;
                }
                if (close(out) != 0) die("cannot unpack (disk full?)", path);
            }
            free(rel);
            free(path);
        } else if (kind == 'L') {
            char *rel = gz_path(gz);
            uint32_t len = gz_u32(gz);
            if (len == 0 || len >= PATH_MAX) die("the bundle inside this file is damaged (link)", NULL);
            char target[PATH_MAX];
            gz_exact(gz, target, len);
            target[len] = 0;
            char *path = join(into, rel);
            if (symlink(target, path) != 0) die("cannot unpack", path);
            free(rel);
            free(path);
        } else {
            die("the bundle inside this file is damaged (record)", NULL);
        }
    }
    gzclose(gz);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *path) { nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS); }

static char *cache_base(void) {
    const char *v;
    char *s = NULL;
    if ((v = getenv("DOCKERTUI_BUNDLE_DIR")) && *v) {
        s = strdup(v);
    } else if ((v = getenv("XDG_CACHE_HOME")) && *v == '/') {
        s = join(v, "dockertui");
    } else if ((v = getenv("HOME")) && *v == '/' && strcmp(v, "/") != 0) {
        if (asprintf(&s, "%s/.cache/dockertui", v) < 0) s = NULL;
    } else if (asprintf(&s, "/tmp/dockertui-%u", (unsigned)getuid()) < 0) {
        s = NULL;
    }
    if (!s) die("out of memory", NULL);
    mkdirs(s, 0700);
    struct stat st;
    if (lstat(s, &st) != 0 || !S_ISDIR(st.st_mode)) die("the cache folder is not a folder", s);
    if (st.st_uid != getuid() || (st.st_mode & 022)) die("the cache folder must be yours and writable by you only", s);
    return s;
}

int main(int argc, char **argv) {
    (void)argc;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) die("cannot find this program's own file (is /proc mounted?)", NULL);
    self[n] = 0;
    int fd = open(self, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("cannot read this program's own file", self);
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < TRAILER) die("this file has no bundle inside", self);
    unsigned char tr[TRAILER];
    if (pread(fd, tr, TRAILER, st.st_size - TRAILER) != TRAILER || memcmp(tr, MAGIC, 8) != 0)
        die("this file has no bundle inside (was it cut short?)", self);
    uint64_t offset = le64(tr + 8), size = le64(tr + 16);
    if (offset + size + TRAILER != (uint64_t)st.st_size) die("this file is damaged or cut short", self);
    char id[33];
    memcpy(id, tr + 24, 32);
    id[32] = 0;
    for (int i = 0; i < 32; i++)
        if (!strchr("0123456789abcdef", id[i])) die("this file is damaged (id)", self);

    char *base = cache_base();
    char *name, *dir, *done, *exe;
    if (asprintf(&name, "bundle-%s", id) < 0) die("out of memory", NULL);
    dir = join(base, name);
    done = join(dir, ".complete");
    exe = join(dir, EXE_NAME);
    /* PyInstaller's bootloader links libz dynamically: the loader must find the bundled one. The
     * frozen program's entry (entry.py) puts the user's LD_LIBRARY_PATH back for what it runs. */
    char *libs = join(dir, "_internal");
    const char *orig = getenv("LD_LIBRARY_PATH");
    if (orig) {
        setenv("DOCKERTUI_LD_LIBRARY_PATH_ORIG", orig, 1);
        char *both;
        if (asprintf(&both, "%s:%s", libs, orig) < 0) die("out of memory", NULL);
        setenv("LD_LIBRARY_PATH", both, 1);
    } else {
        unsetenv("DOCKERTUI_LD_LIBRARY_PATH_ORIG");
        setenv("LD_LIBRARY_PATH", libs, 1);
    }
    setenv("DOCKERTUI_ONEFILE", self, 1);
    for (int attempt = 0; attempt < 2; attempt++) {
        if (access(done, F_OK) != 0) {
            char *tmp;
            if (asprintf(&tmp, "%s/.unpacking-%s-%ld", base, id, (long)getpid()) < 0) die("out of memory", NULL);
            rm_tree(tmp);
            if (mkdir(tmp, 0700) != 0) die("cannot create the cache folder", tmp);
            unpack(fd, offset, tmp);
            char *mark = join(tmp, ".complete");
            int m = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
            if (m < 0 || close(m) != 0) die("cannot unpack", mark);
            if (rename(tmp, dir) != 0) {
                if (access(done, F_OK) == 0) {
                    rm_tree(tmp); /* another start finished first: use its folder */
                } else {
                    rm_tree(dir); /* a half-removed folder is in the way */
                    if (rename(tmp, dir) != 0) die("cannot move the unpacked folder into place", dir);
                }
            }
            free(mark);
            free(tmp);
        }
        argv[0] = exe;
        execv(exe, argv);
        /* the cached folder was damaged (files removed by hand): unpack it again, once */
        int err = errno;
        if (attempt == 1) die("cannot start the unpacked program", strerror(err));
        rm_tree(dir);
    }
    return 126;
}
