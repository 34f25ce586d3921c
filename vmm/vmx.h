/* SPDX-License-Identifier: GPL-2.0-only */
/* The Intel VMX back end (with EPT and unrestricted guest) of the vCPU interface. */
#ifndef NESTOR_VMM_VMX_H
#define NESTOR_VMM_VMX_H

#include "vmm/vcpu.h"

/*
 * The VMX back end if this CPU has VMX with the controls Nestor needs (vmx_controls.h) and
 * firmware did not lock it off, else NULL (logged). Prints the decoded capabilities on
 * one "vmx: " line.
 */
const struct vcpu_ops *vmx_probe(void);

/*
 * Command line "vmx_fail=guest-state" or "vmx_fail=control" breaks every vCPU's first
 * entry on purpose, to show the failure reports in the Bochs tests:
 *   "<vm>: vmx: VM-entry failure, exit reason 33 (VM-entry failure: invalid guest state), qualification 0 (default)"
 *   "<vm>: vmx: VMLAUNCH failed: VMfailValid, VM-instruction error 7 (VM entry with invalid control field(s))"
 */

#endif
