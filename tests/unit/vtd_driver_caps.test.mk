# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vtd_driver_caps
vtd_driver_caps_SRCS := tests/unit/test_vtd_driver_caps.c iommu/vtd_caps.c
