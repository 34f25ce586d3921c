# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += heap
heap_SRCS := tests/unit/test_heap.c kernel/mm/heap_core.c
