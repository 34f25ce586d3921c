// SPDX-License-Identifier: GPL-2.0-only
/* Guest RAM slots and bounds-checked copies (see guest_ram.h). */
#include "vmm/guest_ram.h"

#include "kernel/errno.h"
#include "kernel/mm/paging.h"
#include "lib/kstring.h"

static uint64_t *slot_pages(const struct guest_ram_slot *s)
{
    return (uint64_t *)phys_to_virt(s->pages_hpa);
}

static void slot_free(struct guest_ram *ram, struct guest_ram_slot *s)
{
    if (s->hpa) {
        ram->alloc.free_2m(ram->alloc.ctx, s->hpa);
    } else if (s->pages_hpa) {
        uint64_t *pages = slot_pages(s);

        for (unsigned i = 0; i < GUEST_RAM_SLOT_PAGES; i++)
            if (pages[i])
                ram->alloc.free_4k(ram->alloc.ctx, pages[i]);
        ram->alloc.free_4k(ram->alloc.ctx, s->pages_hpa);
    }
    s->hpa = 0;
    s->pages_hpa = 0;
}

static int slot_alloc(struct guest_ram *ram, struct guest_ram_slot *s)
{
    uint64_t *pages;

    s->hpa = ram->alloc.alloc_2m(ram->alloc.ctx);
    if (s->hpa)
        return 0;
    s->pages_hpa = ram->alloc.alloc_4k(ram->alloc.ctx);
    if (!s->pages_hpa)
        return -ENOMEM;
    pages = slot_pages(s);
    memset(pages, 0, GUEST_RAM_PAGE_BYTES);
    for (unsigned i = 0; i < GUEST_RAM_SLOT_PAGES; i++) {
        pages[i] = ram->alloc.alloc_4k(ram->alloc.ctx);
        if (!pages[i])
            return -ENOMEM;
    }
    ram->nr_split_slots++;
    return 0;
}

int guest_ram_init(struct guest_ram *ram, uint64_t size_bytes, struct guest_ram_slot *slots,
                   const struct guest_ram_alloc *alloc)
{
    memset(ram, 0, sizeof(*ram));
    if (!size_bytes || size_bytes % GUEST_RAM_SLOT_BYTES || size_bytes > GUEST_RAM_MAX_BYTES)
        return -EINVAL;
    ram->size_bytes = size_bytes;
    ram->nr_slots = (unsigned)(size_bytes / GUEST_RAM_SLOT_BYTES);
    ram->slots = slots;
    ram->alloc = *alloc;
    memset(slots, 0, ram->nr_slots * sizeof(*slots));
    for (unsigned i = 0; i < ram->nr_slots; i++) {
        if (slot_alloc(ram, &slots[i])) {
            guest_ram_destroy(ram);
            return -ENOMEM;
        }
    }
    return 0;
}

void guest_ram_destroy(struct guest_ram *ram)
{
    for (unsigned i = 0; ram->slots && i < ram->nr_slots; i++)
        slot_free(ram, &ram->slots[i]);
    ram->size_bytes = 0;
    ram->nr_slots = 0;
}

bool guest_ram_contains(const struct guest_ram *ram, uint64_t gpa, uint64_t len)
{
    return gpa < ram->size_bytes && len <= ram->size_bytes - gpa;
}

uint64_t guest_ram_gpa_to_hpa(const struct guest_ram *ram, uint64_t gpa)
{
    const struct guest_ram_slot *s;
    uint64_t off;

    if (!guest_ram_contains(ram, gpa, 1))
        return 0;
    s = &ram->slots[gpa / GUEST_RAM_SLOT_BYTES];
    off = gpa % GUEST_RAM_SLOT_BYTES;
    if (s->hpa)
        return s->hpa + off;
    return slot_pages(s)[off / GUEST_RAM_PAGE_BYTES] + off % GUEST_RAM_PAGE_BYTES;
}

bool guest_ram_slot_is_contiguous(const struct guest_ram *ram, uint64_t gpa)
{
    return guest_ram_contains(ram, gpa, 1) && ram->slots[gpa / GUEST_RAM_SLOT_BYTES].hpa;
}

/* Walks [gpa, gpa+len) in pieces that never cross a 4 KiB guest page. */
static int guest_ram_access(const struct guest_ram *ram, uint64_t gpa, size_t len,
                            void (*op)(void *host, size_t off, size_t n, void *arg), void *arg)
{
    size_t done = 0;

    if (!len)
        return 0;
    if (!guest_ram_contains(ram, gpa, len))
        return -EFAULT;
    while (done < len) {
        uint64_t cur = gpa + done;
        size_t n = (size_t)(GUEST_RAM_PAGE_BYTES - cur % GUEST_RAM_PAGE_BYTES);

        if (n > len - done)
            n = len - done;
        op(phys_to_virt(guest_ram_gpa_to_hpa(ram, cur)), done, n, arg);
        done += n;
    }
    return 0;
}

static void op_read(void *host, size_t off, size_t n, void *arg) { memcpy((uint8_t *)arg + off, host, n); }
static void op_write(void *host, size_t off, size_t n, void *arg) { memcpy(host, (const uint8_t *)arg + off, n); }
static void op_fill(void *host, size_t off, size_t n, void *arg) { memset(host, *(uint8_t *)arg, n); }

int guest_ram_read(const struct guest_ram *ram, uint64_t gpa, void *buf, size_t len)
{
    return guest_ram_access(ram, gpa, len, op_read, buf);
}

int guest_ram_write(const struct guest_ram *ram, uint64_t gpa, const void *buf, size_t len)
{
    return guest_ram_access(ram, gpa, len, op_write, (void *)(uintptr_t)buf);
}

int guest_ram_fill(const struct guest_ram *ram, uint64_t gpa, uint8_t value, size_t len)
{
    return guest_ram_access(ram, gpa, len, op_fill, &value);
}
