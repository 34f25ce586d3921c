# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += pagetable
pagetable_SRCS := tests/unit/test_pagetable.c kernel/mm/pagetable.c
