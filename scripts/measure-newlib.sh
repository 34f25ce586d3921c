#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Measures what newlib (Debian newlib-source) would cost the hypervisor, for the README section
# "C library: why not newlib": build time, libc.a size, whether it builds without SSE
# (-mgeneral-regs-only), the text an snprintf user pulls in, and SSE use in that code.
# Usage: scripts/measure-newlib.sh [build-dir]   (report in <build-dir>/newlib/report.txt)
set -eu

BUILD=${1:-build}
TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "$BUILD/newlib" && cd "$BUILD/newlib" && pwd)
REPORT=$OUT/report.txt
JOBS=${JOBS:-2}

[ -f "$TARBALL" ] || { echo "measure-newlib: $TARBALL missing (apt-get install newlib-source)" >&2; exit 1; }

# The configuration from PLATFORMS.md: host gcc/binutils as the x86_64-elf target tools,
# nano formatted I/O, small reentrancy structure, no float I/O, no syscalls of its own.
BASE_CFLAGS="-O2 -fno-tree-vectorize -ffreestanding -mno-red-zone -fno-pic -fno-pie -mcmodel=kernel -fno-stack-protector -fno-builtin"

report() { printf '%s\n' "$*" | tee -a "$REPORT"; }

unpack() {
    rm -rf "$OUT/src"
    mkdir -p "$OUT/src"
    tar -C "$OUT/src" -xJf "$TARBALL"
    SRCDIR=$(find "$OUT/src" -mindepth 1 -maxdepth 1 -type d | head -n1)
}

# configure_newlib <build-subdir> <CFLAGS_FOR_TARGET>
configure_newlib() {
    local dir=$OUT/$1
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && "$SRCDIR/configure" --target=x86_64-elf --prefix="$dir/install" \
        CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
        RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump \
        STRIP_FOR_TARGET=strip READELF_FOR_TARGET=readelf \
        CFLAGS_FOR_TARGET="$2" \
        --disable-newlib-supplied-syscalls --enable-newlib-nano-formatted-io \
        --enable-newlib-reent-small --disable-multilib --disable-newlib-io-float \
        --enable-newlib-nano-malloc --disable-nls) > "$dir/configure.log" 2>&1
}

: > "$REPORT"
report "newlib measurement ($(date -u +%Y-%m-%d), $(nproc) cores, $(gcc --version | head -n1))"
report "source: $TARBALL ($(dpkg-query -W -f='${Version}' newlib-source 2>/dev/null || echo '?'))"

unpack

# 1. The build as the design would run it.
tc=$(date +%s.%N)
configure_newlib plain "$BASE_CFLAGS"
t0=$(date +%s.%N)
(cd "$OUT/plain" && make -j"$JOBS" all-target-newlib && make install-target-newlib) \
    > "$OUT/plain/build.log" 2>&1 || { tail -n 30 "$OUT/plain/build.log"; exit 1; }
t1=$(date +%s.%N)
LIBC=$OUT/plain/install/x86_64-elf/lib/libc.a
NEWLIB_INC=$OUT/plain/install/x86_64-elf/include
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
report "configure: $(seconds "$tc" "$t0") s; build (make -j$JOBS all-target-newlib + install-target-newlib): $(seconds "$t0" "$t1") s"
report "libc.a: $(stat -c %s "$LIBC") bytes, $(ar t "$LIBC" | wc -l) objects"

# 2. Without SSE registers, as the hypervisor is compiled: stop at the first error.
configure_newlib nosse "$BASE_CFLAGS -mgeneral-regs-only"
if (cd "$OUT/nosse" && make -j"$JOBS" all-target-newlib) > "$OUT/nosse/build.log" 2>&1; then
    report "-mgeneral-regs-only: builds"
else
    first=$(grep -m1 -E 'error:' "$OUT/nosse/build.log" | sed "s|$SRCDIR/||" || true)
    report "-mgeneral-regs-only: fails: ${first:-see $OUT/nosse/build.log}"
fi

# 3. Text added to a kernel-like image by snprintf + strlen + memcpy: the same tiny
#    program linked once against newlib and once against the in-tree lib/.
T=$OUT/link-test
rm -rf "$T" && mkdir -p "$T"
cat > "$T/main.c" <<'EOF'
#include <stddef.h>
int snprintf(char *, size_t, const char *, ...);
size_t strlen(const char *);
void *memcpy(void *, const void *, size_t);
int fmt_snprintf(char *, size_t, const char *, ...);
char out[128];
char copy[128];
void _start(void);
void _start(void)
{
#ifdef USE_NEWLIB
    snprintf(out, sizeof(out), "vtd%d: cap %#llx %s", 0, 0xd2008c222f0606ull, "ok");
#else
    fmt_snprintf(out, sizeof(out), "vtd%d: cap %#llx %s", 0, 0xd2008c222f0606ull, "ok");
#endif
    memcpy(copy, out, strlen(out) + 1);
    for (;;)
        __asm__ volatile("hlt");
}
EOF
# The system hooks newlib calls (MISSING_SYSCALL_NAMES: no leading underscore).
cat > "$T/hooks.c" <<'EOF'
#include <stddef.h>
struct stat;
void *sbrk(ptrdiff_t inc);
void *sbrk(ptrdiff_t inc) { (void)inc; return (void *)-1; } /* no heap: counts only newlib's own data */
int write(int fd, const void *b, size_t n);
int write(int fd, const void *b, size_t n) { (void)fd; (void)b; return (int)n; }
int read(int fd, void *b, size_t n);
int read(int fd, void *b, size_t n) { (void)fd; (void)b; (void)n; return 0; }
int close(int fd);
int close(int fd) { (void)fd; return -1; }
int fstat(int fd, struct stat *st);
int fstat(int fd, struct stat *st) { (void)fd; (void)st; return -1; }
int isatty(int fd);
int isatty(int fd) { (void)fd; return 1; }
long lseek(int fd, long off, int wh);
long lseek(int fd, long off, int wh) { (void)fd; (void)off; (void)wh; return -1; }
EOF
KFLAGS="-O2 -ffreestanding -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel -fno-stack-protector -fno-builtin"
LDFLAGS_T="-nostdlib -static -Ttext=0xffffffff80100000 -z noexecstack"
gcc $KFLAGS -DUSE_NEWLIB -nostdinc -isystem "$NEWLIB_INC" -isystem "$(gcc -print-file-name=include)" \
    -c "$T/main.c" -o "$T/main-newlib.o"
gcc $KFLAGS -c "$T/hooks.c" -o "$T/hooks.o"
ld $LDFLAGS_T -o "$T/newlib.elf" "$T/main-newlib.o" "$T/hooks.o" "$LIBC" "$(gcc -print-libgcc-file-name)" \
    > "$T/newlib-link.log" 2>&1 || { cat "$T/newlib-link.log"; exit 1; }
gcc $KFLAGS -mgeneral-regs-only -c "$T/main.c" -o "$T/main-intree.o"
gcc $KFLAGS -mgeneral-regs-only -I"$ROOT" -c "$ROOT/lib/fmt.c" -o "$T/fmt.o"
gcc $KFLAGS -mgeneral-regs-only -I"$ROOT" -c "$ROOT/lib/string.c" -o "$T/string.o"
ld $LDFLAGS_T -o "$T/intree.elf" "$T/main-intree.o" "$T/fmt.o" "$T/string.o"
gcc $KFLAGS -c -x c /dev/null -o "$T/empty.o"
ld $LDFLAGS_T -e 0 -o "$T/empty.elf" "$T/empty.o"

text_of() { size -A "$1" | awk '$1 == ".text" { t = $2 } $1 == ".rodata" { r = $2 } END { printf "%d %d", t, r }'; }
read -r nl_text nl_ro <<< "$(text_of "$T/newlib.elf")"
read -r it_text it_ro <<< "$(text_of "$T/intree.elf")"
data_of() { size "$1" | awk 'NR == 2 { print $2 + $3 }'; }
report "snprintf+strlen+memcpy test image, newlib: .text $nl_text bytes, .rodata $nl_ro bytes, data+bss $(data_of "$T/newlib.elf") bytes"
report "same image, in-tree lib/fmt.c + lib/string.c: .text $it_text bytes, .rodata $it_ro bytes, data+bss $(data_of "$T/intree.elf") bytes"
read -r e_text e_ro <<< "$(text_of "$T/empty.elf")"
report "newlib adds $((nl_text - it_text)) bytes of .text and $((nl_ro - it_ro)) bytes of .rodata over the in-tree library (text+rodata: newlib $((nl_text + nl_ro - e_text - e_ro)), in-tree $((it_text + it_ro - e_text - e_ro)))"
xmm=$(objdump -d "$T/newlib.elf" | grep -c 'xmm' || true)
fns=$(objdump -d "$T/newlib.elf" | awk '/^[0-9a-f]+ <.*>:$/ { f = $2 } /xmm/ { print f }' | sort -u | tr -d '<>:' | tr '\n' ' ')
report "SSE instructions (xmm) in the newlib image: $xmm, in: ${fns:-none}"
report "SSE instructions (xmm) in the in-tree image: $(objdump -d "$T/intree.elf" | grep -c 'xmm' || true)"
impure=$(nm "$T/newlib.elf" | grep -c -E ' _impure_ptr$| _global_impure_ptr$' || true)
report "reentrancy: snprintf state goes through the global _impure_ptr ($impure symbol(s)); per-CPU use needs __DYNAMIC_REENT__ and a __getreent() hook"
echo "measure-newlib: report in $REPORT"
