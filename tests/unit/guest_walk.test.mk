# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += guest_walk
guest_walk_SRCS := tests/unit/test_guest_walk.c vmm/guest_walk.c
