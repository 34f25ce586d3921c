# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += mcfg
mcfg_SRCS := tests/unit/test_mcfg.c tests/unit/acpi_fixtures.c kernel/acpi/mcfg.c kernel/acpi/sdt.c
