# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += mmio_emul
mmio_emul_SRCS := tests/unit/test_mmio_emul.c vmm/mmio_emul.c vmm/insn_decode.c vmm/guest_walk.c vmm/iodev.c
