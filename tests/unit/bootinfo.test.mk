# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += bootinfo
bootinfo_SRCS := tests/unit/test_bootinfo.c kernel/bootinfo.c
