/* SPDX-License-Identifier: GPL-2.0-only */
/* The AMD SVM back end (with nested paging) of the vCPU interface. */
#ifndef NESTOR_VMM_SVM_H
#define NESTOR_VMM_SVM_H

#include "vmm/vcpu.h"

/* The SVM back end if this CPU has SVM and NPT (and firmware left SVM enabled), else NULL (logged). */
const struct vcpu_ops *svm_probe(void);

#endif
