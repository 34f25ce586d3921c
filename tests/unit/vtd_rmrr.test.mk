# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vtd_rmrr
vtd_rmrr_SRCS := tests/unit/test_vtd_rmrr.c iommu/vtd_rmrr.c
