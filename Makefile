# SPDX-License-Identifier: GPL-2.0-only
# Nestor: build, run and test. `make run` boots the demo in QEMU; `make test` runs what CI runs.

BUILD   ?= build
CC      := gcc
LD      := ld
OBJCOPY := objcopy
QEMU    ?= qemu-system-x86_64

GCC_INC := $(shell $(CC) -print-file-name=include)

# The hypervisor: freestanding, no SSE/x87 (guest FPU state is never touched by us),
# frame pointers kept for backtraces, identity-linked at 1 MiB (small code model).
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(GCC_INC) \
           -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx \
           -fno-stack-protector -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
           -fno-strict-aliasing -fno-tree-loop-distribute-patterns -fcf-protection=none -mcmodel=small \
           -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
           -I. -MMD -MP
KASFLAGS := -I. -MMD -MP -D__ASSEMBLY__
KLDFLAGS := -nostdlib -T linker.ld -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

KSRC_DIRS := boot kernel lib iommu vmm
KSRCS := $(shell find $(KSRC_DIRS) -name '*.c' -o -name '*.S' 2>/dev/null | grep -v '^boot/uefi/' | sort)
KOBJS := $(patsubst %,$(BUILD)/obj/%.o,$(KSRCS))

.PHONY: all iso run test unit qemu-test newlib-measure coverage bench deps clean help
all: $(BUILD)/nestor.elf $(BUILD)/nestor.iso

help:
	@echo "make run       build and boot the demo in QEMU (ends by itself)"
	@echo "make test      unit tests + QEMU (+ Bochs) system tests, as CI runs them"
	@echo "make unit      host unit tests only"
	@echo "make fuzz      libFuzzer harnesses, FUZZ_SECONDS each (default 10)"
	@echo "make qemu-test QEMU system tests only"
	@echo "make coverage  unit tests with lcov, report in $(BUILD)/coverage/"
	@echo "make deps      install missing Debian packages (as root)"

deps:
	@scripts/install-deps.sh

$(BUILD)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KASFLAGS) -c $< -o $@

# Two link passes: the first gives function addresses for the .ksyms table;
# .ksyms follows .text, so the second pass moves no function.
$(BUILD)/nestor.elf: $(KOBJS) linker.ld scripts/gen-ksyms.sh
	@mkdir -p $(BUILD)/ksyms
	scripts/gen-ksyms.sh > $(BUILD)/ksyms/empty.S
	$(CC) $(KASFLAGS) -c $(BUILD)/ksyms/empty.S -o $(BUILD)/ksyms/empty.o
	$(LD) $(KLDFLAGS) -o $(BUILD)/ksyms/pass1.elf $(KOBJS) $(BUILD)/ksyms/empty.o
	scripts/gen-ksyms.sh $(BUILD)/ksyms/pass1.elf > $(BUILD)/ksyms/ksyms.S
	$(CC) $(KASFLAGS) -c $(BUILD)/ksyms/ksyms.S -o $(BUILD)/ksyms/ksyms.o
	$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILD)/ksyms/ksyms.o
	@nm -n $(BUILD)/ksyms/pass1.elf | grep -i ' t ' > $(BUILD)/ksyms/pass1.txt
	@nm -n $@ | grep -i ' t ' > $(BUILD)/ksyms/pass2.txt
	@cmp -s $(BUILD)/ksyms/pass1.txt $(BUILD)/ksyms/pass2.txt || { echo "ksyms: functions moved between link passes"; exit 1; }

GRUB_MODULES := multiboot2 multiboot normal serial terminal configfile iso9660 part_msdos part_gpt
include tests/guests/guests.mk
ISO_EXTRA := $(sort $(wildcard $(BUILD)/guests/*.elf) $(GUEST_ELFS))

iso: $(BUILD)/nestor.iso
$(BUILD)/nestor.iso: $(BUILD)/nestor.elf boot/grub.cfg $(ISO_EXTRA)
	@rm -rf $(BUILD)/isodir && mkdir -p $(BUILD)/isodir/boot/grub
	cp boot/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	cp $(BUILD)/nestor.elf $(BUILD)/isodir/boot/nestor.elf
	$(if $(ISO_EXTRA),cp $(ISO_EXTRA) $(BUILD)/isodir/boot/)
	grub-mkrescue -o $@ --install-modules="$(GRUB_MODULES)" --fonts= --locales= --themes= \
	    --compress=xz $(BUILD)/isodir 2> $(BUILD)/grub-mkrescue.log || { cat $(BUILD)/grub-mkrescue.log; exit 1; }

run: deps all
	tests/qemu/run-demo.sh $(BUILD)

# ---- host unit tests (cmocka) ----
include tests/unit/unit.mk
include tests/fuzz/fuzz.mk

# Everything CI runs: build, unit tests, QEMU suites, Bochs suite; ends "N passed, N failed".
test: deps
	@BUILD=$(BUILD) tests/run-all.sh

# The QEMU system tests only (tests/qemu/*.sh suites; see tests/qemu/lib.sh).
qemu-test: deps
	@BUILD=$(BUILD) tests/run-all.sh build qemu

# README "C library: why not newlib": builds newlib under $(BUILD)/newlib and measures it.
newlib-measure: deps
	scripts/measure-newlib.sh $(BUILD)

bench: deps all
	@if [ -x tests/bench/run.sh ]; then tests/bench/run.sh $(BUILD); else echo "no benchmarks yet"; fi

clean:
	rm -rf $(BUILD)

-include $(KOBJS:.o=.d)
