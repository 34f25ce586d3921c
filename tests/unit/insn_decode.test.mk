# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += insn_decode
insn_decode_SRCS := tests/unit/test_insn_decode.c vmm/insn_decode.c
