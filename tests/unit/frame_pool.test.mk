# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += frame_pool
frame_pool_SRCS := tests/unit/test_frame_pool.c kernel/mm/frame_pool.c kernel/mm/memmap.c
