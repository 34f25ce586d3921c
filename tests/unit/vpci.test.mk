# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vpci
vpci_SRCS := tests/unit/test_vpci.c vmm/vpci.c vmm/iodev.c
