/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * isa-debug-exit as QEMU models it (iobase 0xF4, 4 ports): a guest write ends the VM and
 * records the value; Nestor later ends a QEMU run with the same value, so the run's
 * status is (value << 1) | 1 as if the guest ran natively. Reads return all ones.
 */
#ifndef NESTOR_VMM_DEV_DEBUG_EXIT_H
#define NESTOR_VMM_DEV_DEBUG_EXIT_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/iodev.h"

#define VDEBUG_EXIT_BASE  0xF4
#define VDEBUG_EXIT_PORTS 4

struct vdebug_exit {
    struct iodev io;
    const char *vm_name;
    bool written;
    uint32_t value;
    void (*on_write)(void *ctx, uint32_t value); /* stops the VM */
    void *on_write_ctx;
};

int vdebug_exit_init(struct vdebug_exit *d, struct iodev_bus *bus, const char *vm_name,
                     void (*on_write)(void *ctx, uint32_t value), void *ctx);

#endif
