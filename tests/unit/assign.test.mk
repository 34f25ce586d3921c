# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += assign
assign_SRCS := tests/unit/test_assign.c vmm/assign_cfg.c vmm/assign_msi.c vmm/assign_dma.c vmm/assign_list.c \
    vmm/guest_ram.c kernel/pci/pci_bdf.c
