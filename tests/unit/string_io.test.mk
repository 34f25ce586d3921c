# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += string_io
string_io_SRCS := tests/unit/test_string_io.c vmm/string_io.c vmm/guest_walk.c
