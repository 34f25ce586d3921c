# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vtd_formats
vtd_formats_SRCS := tests/unit/test_vtd_formats.c
