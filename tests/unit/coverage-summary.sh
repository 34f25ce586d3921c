#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Prints the coverage summary of `make coverage`: per directory over the files the unit
# tests compile, the files they do not compile with their executable line counts, and per
# directory again with those lines counted as uncovered.
# Usage: coverage-summary.sh <dir with project.info, untested.info, whole.info> <repo root> <dirs...>
covdir=$1 root=$2
shift 2

# "lines......: P% (H of F lines)" for the records of info file $1 under directory $2.
lines_of() {
    awk -v pre="$root/$2/" '
        /^SF:/ { keep = index(substr($0, 4), pre) == 1 }
        keep && /^LF:/ { f += substr($0, 4) }
        keep && /^LH:/ { h += substr($0, 4) }
        END { if (f) printf "lines......: %.1f%% (%d of %d lines)\n", 100 * h / f, h, f
              else print "lines......: no data" }' "$1"
}

echo "over the files the unit tests compile:"
lcov --summary "$covdir/project.info" 2>&1 | grep -E 'lines|functions'
for d in "$@"; do printf '%-7s  %s\n' "$d/" "$(lines_of "$covdir/project.info" "$d")"; done

echo "not in unit tests (covered by the QEMU/Bochs suites), executable lines:"
# A file a unit test #includes (lib/string.c) is in project.info: tested, not listed.
awk -v root="$root/" '
    FNR == NR { if (/^SF:/) tested[substr($0, 4)] = 1; next }
    /^SF:/ { sf = substr($0, 4); f = sf; sub("^" root, "", f) }
    /^LF:/ && f !~ /\.h$/ && !(sf in tested) { n = substr($0, 4); if (n > 0) printf "  %-34s %5d\n", f, n }
    ' "$covdir/project.info" "$covdir/untested.info" | sort
# Inline functions of headers used only by those files count here too.
echo "with those lines counted as uncovered:"
for d in "$@"; do printf '%-7s  %s\n' "$d/" "$(lines_of "$covdir/whole.info" "$d")"; done
