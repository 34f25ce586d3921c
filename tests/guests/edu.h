/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-guest checks of QEMU's edu device (docs/specs/edu.rst in QEMU): PCI enumeration
 * through ports 0xCF8/0xCFC, the identity and liveness registers, factorial, DMA from
 * guest memory into the device and back, and an MSI. Without edu the same lines are
 * reported as skipped, so the line set never depends on the device being present.
 */
#ifndef NESTOR_TESTS_GUESTS_EDU_H
#define NESTOR_TESTS_GUESTS_EDU_H

#include <stdbool.h>

/*
 * Runs the checks (testguest.c: only with the command-line word "edu", until Nestor's
 * platform gives every guest a virtual PCI bus; tests/qemu/assign.sh passes it). dma_outside (command-line word "edu-dma-outside") adds a DMA from the
 * device to guest-physical 0x0ff00000, beyond the guest's RAM: under Nestor the host
 * IOMMU must block it (the harness looks for the fault line); never run natively.
 */
void check_edu(bool dma_outside);

#endif
