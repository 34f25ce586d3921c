# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vector_table
vector_table_SRCS := tests/unit/test_vector_table.c kernel/cpu/vector_table.c
