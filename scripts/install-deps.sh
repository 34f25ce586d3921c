#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian 12 packages Nestor's build and tests need.
# As root: installs what is missing (QEMU from bookworm-backports).
# Otherwise: prints the exact commands to run.
set -eu
want="${*:-gcc make binutils grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf lcov libcmocka-dev newlib-source acpica-tools bochs bochsbios vgabios bochs-term qemu-system-x86}"
missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
bp=/etc/apt/sources.list.d/nestor-backports.list
line="deb http://deb.debian.org/debian bookworm-backports main"
if [ "$(id -u)" != 0 ]; then
    echo "nestor: missing packages:$missing" >&2
    echo "nestor: run as root:" >&2
    echo "  echo '$line' > $bp && apt-get update && apt-get install -y$missing && apt-get install -y -t bookworm-backports qemu-system-x86" >&2
    exit 1
fi
echo "nestor: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
[ -f "$bp" ] || echo "$line" > "$bp"
apt-get update -q >&2
others=$(echo "$missing" | tr ' ' '\n' | grep -v '^qemu-system-x86$' | tr '\n' ' ')
[ -n "${others// /}" ] && apt-get install -y -q --no-install-recommends $others >&2
case " $missing " in
*" qemu-system-x86 "*) apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 >&2 ;;
esac
