# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vtd_fault
vtd_fault_SRCS := tests/unit/test_vtd_fault.c iommu/vtd_fault.c
