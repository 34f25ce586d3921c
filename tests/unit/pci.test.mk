# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += pci
pci_SRCS := tests/unit/test_pci.c kernel/pci/pci_enum.c kernel/pci/pci_bar.c kernel/pci/pci_cap.c \
    kernel/pci/pci_table.c kernel/pci/pci_summary.c kernel/pci/pci_names.c
