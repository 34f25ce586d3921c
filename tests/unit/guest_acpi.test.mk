# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += guest_acpi
guest_acpi_SRCS := tests/unit/test_guest_acpi.c vmm/guest_acpi.c kernel/acpi/sdt.c kernel/acpi/madt.c \
                   kernel/acpi/mcfg.c kernel/acpi/fadt.c
