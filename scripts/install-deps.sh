#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages Nestor's build and tests need (`make deps`; `make run` and
# `make test` run it first). Arguments replace the default package list.
# As root: installs what is missing; on Debian 12 (bookworm) QEMU comes from bookworm-backports
# (QEMU 10: its VT-d model has first-stage translation). Otherwise: prints the exact commands.
set -eu
want="${*:-gcc make binutils xz-utils grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf lcov libcmocka-dev clang libclang-rt-dev newlib-source acpica-tools bochs bochsbios vgabios bochs-term qemu-system-x86}"
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
backports=""
[ "$codename" = bookworm ] && backports=bookworm-backports

# An installed QEMU older than 10 works (the tests skip what it cannot emulate): say so once.
qemu_note() {
    local v
    v=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null | sed -n 's/^\([0-9]*:\)\{0,1\}\([0-9]*\)\..*/\2/p')
    if [ -n "$v" ] && [ "$v" -lt 10 ] && [ -n "$backports" ]; then
        echo "nestor: QEMU $v is installed; the first-stage VT-d tests need QEMU 10:" \
            "apt-get install -t $backports qemu-system-x86" >&2
    fi
    return 0
}

if [ -z "$missing" ]; then
    case " $want " in *" qemu-system-x86 "*) qemu_note ;; esac
    exit 0
fi

bp=/etc/apt/sources.list.d/nestor-backports.list
line="deb http://deb.debian.org/debian bookworm-backports main"
others=$(printf '%s\n' $missing | grep -vx qemu-system-x86 | xargs || true)
case " $missing " in *" qemu-system-x86 "*) want_qemu=1 ;; *) want_qemu=0 ;; esac

if [ "$(id -u)" != 0 ]; then
    echo "nestor: missing packages:$missing" >&2
    echo "nestor: run as root:" >&2
    cmd="apt-get update"
    [ $want_qemu = 1 ] && [ -n "$backports" ] && cmd="echo '$line' > $bp && $cmd"
    [ -n "$others" ] && cmd="$cmd && apt-get install -y --no-install-recommends $others"
    if [ $want_qemu = 1 ]; then
        cmd="$cmd && apt-get install -y --no-install-recommends ${backports:+-t $backports }qemu-system-x86"
    fi
    echo "  $cmd" >&2
    exit 1
fi

echo "nestor: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if [ $want_qemu = 1 ] && [ -n "$backports" ] && ! grep -rqsE "^(deb .*|Suites:.*)bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "$line" > "$bp"
fi
apt-get update -q >&2
[ -n "$others" ] && apt-get install -y -q --no-install-recommends $others >&2
if [ $want_qemu = 1 ]; then
    apt-get install -y -q --no-install-recommends ${backports:+-t $backports} qemu-system-x86 >&2
fi
exit 0
