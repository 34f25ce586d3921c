# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vlapic
vlapic_SRCS := tests/unit/test_vlapic.c vmm/vlapic.c vmm/iodev.c
