# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += time_math
time_math_SRCS := tests/unit/test_time_math.c kernel/time_math.c
