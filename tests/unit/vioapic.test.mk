# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vioapic
vioapic_SRCS := tests/unit/test_vioapic.c vmm/vioapic.c vmm/iodev.c
