# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer harnesses (clang) for the pure modules that take hostile input: guest
# instructions, guest page tables, guest kernel images, guest config-space writes,
# firmware tables, boot loader blocks, VT-d tables and fault records.
# `make fuzz` runs each for FUZZ_SECONDS (default 10); `make test` runs each for 3 s.
# Each harness is tests/fuzz/fuzz_<name>.c; its seeds are tests/fuzz/corpus/<name>/.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 10
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter \
               -I. -DUNIT_TEST -MMD -MP $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_COMMON := kernel/log.c lib/fmt.c tests/fuzz/fuzz_support.c tests/host_strlcpy.c

FUZZERS := insn_decode guest_walk guest_loader mmio_emul assign_cfg acpi bootinfo vtd_pgtable vtd_fault
insn_decode_FUZZ_SRCS  := vmm/insn_decode.c
guest_walk_FUZZ_SRCS   := vmm/guest_walk.c
guest_loader_FUZZ_SRCS := vmm/guest_loader.c
mmio_emul_FUZZ_SRCS    := vmm/mmio_emul.c vmm/insn_decode.c vmm/guest_walk.c vmm/iodev.c
assign_cfg_FUZZ_SRCS   := vmm/assign_cfg.c
acpi_FUZZ_SRCS         := $(sort $(wildcard kernel/acpi/*.c))
bootinfo_FUZZ_SRCS     := kernel/bootinfo.c
vtd_pgtable_FUZZ_SRCS  := iommu/vtd_pgtable.c iommu/vtd_psi.c
vtd_fault_FUZZ_SRCS    := iommu/vtd_fault.c

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
-include $(shell find $(BUILD)/fuzz -name '*.d' 2>/dev/null)

define fuzz_rules
$(BUILD)/fuzz/fuzz_$(1): $$(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$$(sort tests/fuzz/fuzz_$(1).c $$($(1)_FUZZ_SRCS) $(FUZZ_COMMON)))
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $$^ -o $$@
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzz_rules,$(f))))

FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZERS))

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)
fuzz: $(FUZZ_BINS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(BUILD) $(FUZZERS)
