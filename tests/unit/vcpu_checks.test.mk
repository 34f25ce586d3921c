# SPDX-License-Identifier: GPL-2.0-only
UNIT_TESTS += vcpu_checks
vcpu_checks_SRCS := tests/unit/test_vcpu_checks.c
