// SPDX-License-Identifier: GPL-2.0-only
/* Emulated-device registry (see iodev.h). */
#include "vmm/iodev.h"

#include <stddef.h>

#include "kernel/errno.h"

static struct iodev **bus_head(struct iodev_bus *bus, enum iodev_space space)
{
    return space == IODEV_PIO ? &bus->pio : &bus->mmio;
}

int iodev_register(struct iodev_bus *bus, struct iodev *dev)
{
    struct iodev **pp = bus_head(bus, dev->space);

    if (!dev->len || dev->base + dev->len < dev->base || !dev->ops ||
        (dev->space == IODEV_PIO && dev->base + dev->len > 0x10000))
        return -EINVAL;
    for (struct iodev *d = *pp; d; d = d->next)
        if (dev->base < d->base + d->len && d->base < dev->base + dev->len)
            return -EEXIST;
    while (*pp && (*pp)->base < dev->base)
        pp = &(*pp)->next;
    dev->next = *pp;
    *pp = dev;
    return 0;
}

void iodev_unregister(struct iodev_bus *bus, struct iodev *dev)
{
    for (struct iodev **pp = bus_head(bus, dev->space); *pp; pp = &(*pp)->next)
        if (*pp == dev) {
            *pp = dev->next;
            dev->next = NULL;
            return;
        }
}

struct iodev *iodev_find(const struct iodev_bus *bus, enum iodev_space space, uint64_t addr, unsigned size)
{
    struct iodev *d = space == IODEV_PIO ? bus->pio : bus->mmio;

    for (; d; d = d->next)
        if (addr >= d->base && addr - d->base < d->len)
            return size <= d->len - (addr - d->base) ? d : NULL;
    return NULL;
}

int iodev_read(const struct iodev_bus *bus, enum iodev_space space, uint64_t addr, unsigned size, uint64_t *value)
{
    struct iodev *d = iodev_find(bus, space, addr, size);

    if (!d || !d->ops->read)
        return -ENOENT;
    return d->ops->read(d, addr - d->base, size, value);
}

int iodev_write(const struct iodev_bus *bus, enum iodev_space space, uint64_t addr, unsigned size, uint64_t value)
{
    struct iodev *d = iodev_find(bus, space, addr, size);

    if (!d || !d->ops->write)
        return -ENOENT;
    return d->ops->write(d, addr - d->base, size, value);
}
