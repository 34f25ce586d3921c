# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vtd_driver_domain
vtd_driver_domain_SRCS := tests/unit/test_vtd_driver_domain.c tests/unit/vtd_fake.c iommu/domain.c iommu/vtd_unit.c \
    iommu/vtd_inval.c iommu/vtd_psi.c iommu/vtd_caps.c iommu/vtd_faults.c iommu/vtd_fault.c iommu/vtd_pgtable.c
