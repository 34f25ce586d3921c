# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vmm_devices
vmm_devices_SRCS := tests/unit/test_vmm_devices.c vmm/cpuid_filter.c vmm/iodev.c vmm/dev_uart.c vmm/dev_debug_exit.c
