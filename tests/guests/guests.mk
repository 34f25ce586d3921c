# SPDX-License-Identifier: GPL-2.0-only
# Test guests: freestanding 32-bit Multiboot1 kernels built into $(BUILD)/guests/<name>.elf.
# They may include Nestor's spec-format headers (vmm/multiboot1.h) and nothing else.

GUEST_CFLAGS := -m32 -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INC) -fno-pic -fno-pie \
                -fno-stack-protector -mgeneral-regs-only -mno-sse -mno-mmx -fno-asynchronous-unwind-tables \
                -fcf-protection=none -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
                -Wmissing-prototypes -I. -MMD -MP
GUEST_ASFLAGS := -m32 -I. -MMD -MP -D__ASSEMBLY__
GUEST_LDFLAGS := -m elf_i386 -nostdlib -T tests/guests/guest.ld -z max-page-size=0x1000 -z noexecstack \
                 --no-warn-rwx-segments

GUESTS := testguest
testguest_SRCS := tests/guests/boot.S tests/guests/guest_lib.c tests/guests/testguest.c tests/guests/edu.c tests/guests/guest_platform.c

GUEST_ELFS := $(patsubst %,$(BUILD)/guests/%.elf,$(GUESTS))

$(BUILD)/guests/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guests/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_ASFLAGS) -c $< -o $@

define guest_rule
$(BUILD)/guests/$(1).elf: $$(patsubst %,$(BUILD)/guests/obj/%.o,$$($(1)_SRCS)) tests/guests/guest.ld
	$(LD) $(GUEST_LDFLAGS) -o $$@ $$(filter %.o,$$^)
endef
$(foreach g,$(GUESTS),$(eval $(call guest_rule,$(g))))

.PHONY: guests
guests: $(GUEST_ELFS)

-include $(shell find $(BUILD)/guests/obj -name '*.d' 2>/dev/null)
