/* SPDX-License-Identifier: GPL-2.0-only */
/* selftest=vtd: edu DMA through a domain, judged by QEMU's VT-d model; ends the run. */
#ifndef NESTOR_IOMMU_VTD_SELFTEST_H
#define NESTOR_IOMMU_VTD_SELFTEST_H

__attribute__((noreturn)) void vtd_selftest_run(void);

#endif
