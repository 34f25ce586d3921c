/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared between the SVM back-end files (svm.c, svm_exit.c, svm_msr.c, svm_entry.S). */
#ifndef NESTOR_VMM_SVM_INTERNAL_H
#define NESTOR_VMM_SVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/guest_gprs.h"
#include "vmm/svm_vmcb.h"
#include "vmm/vcpu.h"

struct svm_vcpu {
    struct vmcb *vmcb;
    uint64_t vmcb_pa;
    uint64_t iopm_pa, msrpm_pa;
    uint64_t npt_root;
    uint32_t asid;
    bool flush_tlb;
    struct guest_gprs gprs;
};

void svm_enter_guest(uint64_t vmcb_pa, struct guest_gprs *gprs, uint64_t host_vmcb_pa);
/* Translates the VMCB's exit into the generic record (and clears a serviced VINTR). */
void svm_decode_exit(struct vmcb *c, struct vcpu_exit *exit);
/* An event whose delivery the exit interrupted (EXITINTINFO) is queued again (15.7.2). */
void svm_requeue_interrupted_event(struct vmcb *c);
int svm_get_msr(struct vcpu *v, uint32_t msr, uint64_t *value);
int svm_set_msr(struct vcpu *v, uint32_t msr, uint64_t value);

#endif
