# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += acpi
acpi_SRCS := tests/unit/test_acpi.c tests/unit/acpi_fixtures.c $(wildcard kernel/acpi/*.c)
