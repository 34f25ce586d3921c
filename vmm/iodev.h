/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Emulated-device registry of one VM: devices claim port I/O ranges or guest-physical
 * MMIO ranges and get read/write callbacks with the offset into their range. Ranges of
 * one space never overlap. The struct iodev lives in the device's own state (no
 * allocation here). Pure: unit-tested.
 */
#ifndef NESTOR_VMM_IODEV_H
#define NESTOR_VMM_IODEV_H

#include <stdbool.h>
#include <stdint.h>

enum iodev_space { IODEV_PIO, IODEV_MMIO };

struct iodev;
struct iodev_ops {
    /* size is 1, 2, 4 or 8; offset + size never leaves the range. 0 or a negative error. */
    int (*read)(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value);
    int (*write)(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value);
};

struct iodev {
    const char *name;
    enum iodev_space space;
    uint64_t base, len;
    const struct iodev_ops *ops;
    void *ctx;           /* the device's state */
    struct iodev *next;  /* the bus list, in ascending base order */
};

struct iodev_bus {
    struct iodev *pio;
    struct iodev *mmio;
};

/* Adds dev (fields set by the caller). -EINVAL for an empty or wrapping range, -EEXIST on overlap. */
int iodev_register(struct iodev_bus *bus, struct iodev *dev);
void iodev_unregister(struct iodev_bus *bus, struct iodev *dev);
/* The device whose range holds all of [addr, addr+size), or NULL. */
struct iodev *iodev_find(const struct iodev_bus *bus, enum iodev_space space, uint64_t addr, unsigned size);

/* Dispatch: -ENOENT when no device claims the access, else the device's result. */
int iodev_read(const struct iodev_bus *bus, enum iodev_space space, uint64_t addr, unsigned size, uint64_t *value);
int iodev_write(const struct iodev_bus *bus, enum iodev_space space, uint64_t addr, unsigned size, uint64_t value);

#endif
