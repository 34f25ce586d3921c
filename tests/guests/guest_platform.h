/* SPDX-License-Identifier: GPL-2.0-only */
/* Test-guest checks of the PC platform: ACPI, PCI (ports and ECAM), local APIC, I/O APIC. */
#ifndef NESTOR_TESTS_GUESTS_GUEST_PLATFORM_H
#define NESTOR_TESTS_GUESTS_GUEST_PLATFORM_H

void check_platform(void);
/* Runs an MMIO instruction that Nestor refuses (the command-line word mmio-unsupported). */
void platform_unsupported_mmio(void);

#endif
