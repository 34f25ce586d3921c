# SPDX-License-Identifier: GPL-2.0-only
# Host unit tests (cmocka). Each tests/unit/<name>.test.mk adds <name> to UNIT_TESTS and
# sets <name>_SRCS to its test file plus the pure modules it tests.

HOSTCC := gcc
UNIT_CFLAGS := -std=gnu11 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -DUNIT_TEST -MMD -MP
UNIT_COMMON := kernel/log.c lib/fmt.c tests/unit/support.c tests/host_strlcpy.c
UNIT_TESTS :=
include $(sort $(wildcard tests/unit/*.test.mk))

# Two variants: sanitized (make unit / make test) and instrumented for lcov (make coverage).
UNIT_VARIANTS := asan cov
UNIT_asan_FLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
UNIT_cov_FLAGS := -O0 --coverage

define unit_variant_rules
$(BUILD)/unit-$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(UNIT_CFLAGS) $$(UNIT_$(1)_FLAGS) -c $$< -o $$@
-include $$(shell find $(BUILD)/unit-$(1) -name '*.d' 2>/dev/null)
endef
$(foreach v,$(UNIT_VARIANTS),$(eval $(call unit_variant_rules,$(v))))

define unit_test_rules
$(BUILD)/unit-$(2)/test_$(1): $$(patsubst %.c,$(BUILD)/unit-$(2)/obj/%.o,$$(sort $$($(1)_SRCS) $(UNIT_COMMON)))
	$$(HOSTCC) $$(UNIT_$(2)_FLAGS) $$^ -o $$@ -lcmocka
endef
$(foreach v,$(UNIT_VARIANTS),$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test_rules,$(t),$(v)))))

UNIT_BINS_asan := $(patsubst %,$(BUILD)/unit-asan/test_%,$(UNIT_TESTS))
UNIT_BINS_cov := $(patsubst %,$(BUILD)/unit-cov/test_%,$(UNIT_TESTS))

unit-build: $(UNIT_BINS_asan)
unit: $(UNIT_BINS_asan)
	@tests/unit/run.sh $(UNIT_BINS_asan)

# Sources of kernel/ lib/ iommu/ vmm/ that no unit test compiles (kernel glue, covered by the
# QEMU/Bochs suites). They are compiled with the kernel's flags and --coverage, never linked,
# so that lcov --initial counts their executable lines with zero hits: the second summary is
# the coverage of everything, not only of what the unit tests build.
UNIT_COV_DIRS := kernel lib iommu vmm
UNIT_COMPILED_SRCS := $(sort $(UNIT_COMMON) $(foreach t,$(UNIT_TESTS),$($(t)_SRCS)))
UNIT_UNTESTED_SRCS := $(filter-out $(UNIT_COMPILED_SRCS),$(shell find $(UNIT_COV_DIRS) -name '*.c' | sort))
UNIT_UNTESTED_OBJS := $(patsubst %.c,$(BUILD)/unit-untested/%.o,$(UNIT_UNTESTED_SRCS))

$(BUILD)/unit-untested/%.o: %.c
	@mkdir -p $(dir $@)
	@$(CC) $(KCFLAGS) -O0 --coverage -c $< -o $@

coverage: $(UNIT_BINS_cov) $(UNIT_UNTESTED_OBJS)
	@find $(BUILD)/unit-cov -name '*.gcda' -delete
	-@tests/unit/run.sh $(UNIT_BINS_cov) > $(BUILD)/unit-cov/run.log
	lcov -q --capture --directory $(BUILD)/unit-cov --output-file $(BUILD)/unit-cov/all.info
	lcov -q --extract $(BUILD)/unit-cov/all.info $(foreach d,$(UNIT_COV_DIRS),'$(CURDIR)/$(d)/*') \
	    --output-file $(BUILD)/unit-cov/project.info
	lcov -q --capture --initial --directory $(BUILD)/unit-untested --output-file $(BUILD)/unit-cov/untested-all.info
	lcov -q --extract $(BUILD)/unit-cov/untested-all.info $(foreach d,$(UNIT_COV_DIRS),'$(CURDIR)/$(d)/*') \
	    --output-file $(BUILD)/unit-cov/untested.info
	lcov -q -a $(BUILD)/unit-cov/project.info -a $(BUILD)/unit-cov/untested.info --output-file $(BUILD)/unit-cov/whole.info
	genhtml -q --output-directory $(BUILD)/coverage $(BUILD)/unit-cov/project.info
	@tests/unit/coverage-summary.sh $(BUILD)/unit-cov $(CURDIR) $(UNIT_COV_DIRS)
	@echo "coverage report: $(BUILD)/coverage/index.html"
