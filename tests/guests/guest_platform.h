/* SPDX-License-Identifier: GPL-2.0-only */
/* Test-guest checks of the PC platform: ACPI, PCI (ports and ECAM), local APIC, I/O APIC. */
#ifndef NESTOR_TESTS_GUESTS_GUEST_PLATFORM_H
#define NESTOR_TESTS_GUESTS_GUEST_PLATFORM_H

void check_platform(void);

#endif
