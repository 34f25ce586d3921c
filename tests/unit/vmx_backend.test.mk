# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vmx_backend
vmx_backend_SRCS := tests/unit/test_vmx_backend.c vmm/vmx_caps.c vmm/vmx_controls.c vmm/vmx_exit.c vmm/vmx_names.c
