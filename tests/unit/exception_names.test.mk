# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += exception_names
exception_names_SRCS := tests/unit/test_exception_names.c kernel/cpu/exception_names.c
