# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vmm_loader
vmm_loader_SRCS := tests/unit/test_vmm_loader.c vmm/guest_loader.c
