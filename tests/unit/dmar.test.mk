# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += dmar
dmar_SRCS := tests/unit/test_dmar.c tests/unit/acpi_fixtures.c kernel/acpi/dmar.c kernel/acpi/dmar_scope.c \
             kernel/acpi/dmar_print.c kernel/acpi/sdt.c
