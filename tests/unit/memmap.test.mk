# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += memmap
memmap_SRCS := tests/unit/test_memmap.c kernel/mm/memmap.c
