# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vmx_caps
vmx_caps_SRCS := tests/unit/test_vmx_caps.c vmm/vmx_caps.c
