# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vmm_mem
vmm_mem_SRCS := tests/unit/test_vmm_mem.c vmm/guest_ram.c vmm/npt.c iommu/vtd_pgtable.c
