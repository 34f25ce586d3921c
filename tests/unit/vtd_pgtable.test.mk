# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vtd_pgtable
vtd_pgtable_SRCS := tests/unit/test_vtd_pgtable.c iommu/vtd_pgtable.c iommu/vtd_psi.c
