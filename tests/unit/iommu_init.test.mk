# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += iommu_init
iommu_init_SRCS := tests/unit/test_iommu_init.c tests/unit/vtd_fake.c iommu/iommu_boot.c iommu/domain.c \
    iommu/vtd_unit.c iommu/vtd_inval.c iommu/vtd_psi.c iommu/vtd_caps.c iommu/vtd_faults.c iommu/vtd_fault.c \
    iommu/vtd_pgtable.c iommu/vtd_rmrr.c kernel/acpi/dmar_scope.c kernel/mm/memmap.c
