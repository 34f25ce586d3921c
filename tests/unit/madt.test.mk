# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += madt
madt_SRCS := tests/unit/test_madt.c tests/unit/acpi_fixtures.c kernel/acpi/madt.c kernel/acpi/sdt.c
