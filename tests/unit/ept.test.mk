# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += ept
ept_SRCS := tests/unit/test_ept.c vmm/ept.c vmm/npt.c iommu/vtd_pgtable.c
