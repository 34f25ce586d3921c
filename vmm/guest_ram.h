/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest RAM: GPA [0, size_bytes) backed by host frames, one slot per 2 MiB of guest
 * physical space. A slot is one contiguous, 2 MiB-aligned host chunk when the allocator
 * had one, else 512 separate 4 KiB frames listed in a host page. This is the VM's own
 * GPA->HPA record: the nested tables are built from it and checked against it.
 * Pure: host memory comes from the alloc callbacks and is reached through phys_to_virt(),
 * so the module is unit-tested on Linux with malloc'd "frames".
 */
#ifndef NESTOR_VMM_GUEST_RAM_H
#define NESTOR_VMM_GUEST_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_RAM_SLOT_BYTES  (2ULL << 20)
#define GUEST_RAM_PAGE_BYTES  4096ULL
#define GUEST_RAM_SLOT_PAGES  512u
#define GUEST_RAM_MAX_BYTES   (3ULL << 30) /* below the PCI hole, the IOAPIC and LAPIC */

/* Host memory for guest RAM: zeroed memory, addresses in host physical space, 0 = none. */
struct guest_ram_alloc {
    uint64_t (*alloc_2m)(void *ctx);   /* 2 MiB contiguous, 2 MiB aligned */
    uint64_t (*alloc_4k)(void *ctx);
    void (*free_2m)(void *ctx, uint64_t hpa);
    void (*free_4k)(void *ctx, uint64_t hpa);
    void *ctx;
};

struct guest_ram_slot {
    uint64_t hpa;       /* the 2 MiB chunk, or 0 when pages_hpa is used */
    uint64_t pages_hpa; /* a host page of 512 frame addresses, or 0 */
};

struct guest_ram {
    uint64_t size_bytes;
    unsigned nr_slots;
    unsigned nr_split_slots; /* slots backed by 4 KiB frames */
    struct guest_ram_slot *slots;
    struct guest_ram_alloc alloc;
};

/*
 * Backs GPA [0, size_bytes) (size_bytes a non-zero multiple of 2 MiB, at most
 * GUEST_RAM_MAX_BYTES). slots is caller memory for size_bytes / 2 MiB entries.
 * 0, -EINVAL or -ENOMEM (everything allocated so far is freed).
 */
int guest_ram_init(struct guest_ram *ram, uint64_t size_bytes, struct guest_ram_slot *slots,
                   const struct guest_ram_alloc *alloc);
void guest_ram_destroy(struct guest_ram *ram);

bool guest_ram_contains(const struct guest_ram *ram, uint64_t gpa, uint64_t len);
/* The HPA backing gpa, or 0 if gpa is outside guest RAM. */
uint64_t guest_ram_gpa_to_hpa(const struct guest_ram *ram, uint64_t gpa);
/* Whether gpa's 2 MiB slot is one host chunk (it may then be mapped with a large page). */
bool guest_ram_slot_is_contiguous(const struct guest_ram *ram, uint64_t gpa);

/* Copies with bounds checks: -EFAULT (nothing copied) if any byte is outside guest RAM. */
int guest_ram_read(const struct guest_ram *ram, uint64_t gpa, void *buf, size_t len);
int guest_ram_write(const struct guest_ram *ram, uint64_t gpa, const void *buf, size_t len);
int guest_ram_fill(const struct guest_ram *ram, uint64_t gpa, uint8_t value, size_t len);

#endif
