# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += pci_bdf
pci_bdf_SRCS := tests/unit/test_pci_bdf.c kernel/pci/pci_bdf.c kernel/pci/pci_addr.c kernel/pci/pci_names.c \
    kernel/pci/pci_bar.c kernel/pci/pci_summary.c
