// SPDX-License-Identifier: GPL-2.0-only
/* isa-debug-exit forwarding (see dev_debug_exit.h). */
#include "vmm/dev_debug_exit.h"

#include "kernel/log.h"
#include "lib/kstring.h"

static int vdebug_exit_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    *value = ~0ULL;
    return 0;
}

static int vdebug_exit_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct vdebug_exit *d = dev->ctx;

    if (d->written) /* the VM is already ending */
        return 0;
    d->written = true;
    d->value = (uint32_t)value;
    log_raw("%s: guest wrote 0x%x to isa-debug-exit\n", d->vm_name, d->value);
    if (d->on_write)
        d->on_write(d->on_write_ctx, d->value);
    return 0;
}

static const struct iodev_ops vdebug_exit_ops = { .read = vdebug_exit_read, .write = vdebug_exit_write };

int vdebug_exit_init(struct vdebug_exit *d, struct iodev_bus *bus, const char *vm_name,
                     void (*on_write)(void *ctx, uint32_t value), void *ctx)
{
    memset(d, 0, sizeof(*d));
    d->vm_name = vm_name;
    d->on_write = on_write;
    d->on_write_ctx = ctx;
    d->io = (struct iodev){ .name = "isa-debug-exit", .space = IODEV_PIO, .base = VDEBUG_EXIT_BASE,
                            .len = VDEBUG_EXIT_PORTS, .ops = &vdebug_exit_ops, .ctx = d };
    return iodev_register(bus, &d->io);
}
