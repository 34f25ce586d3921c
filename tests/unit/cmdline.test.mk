UNIT_TESTS += cmdline
cmdline_SRCS := tests/unit/test_cmdline.c kernel/cmdline.c
