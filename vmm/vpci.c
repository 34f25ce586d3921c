// SPDX-License-Identifier: GPL-2.0-only
/* Virtual PCI configuration space (see vpci.h). */
#include "vmm/vpci.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/pci/pci_regs.h"
#include "lib/kstring.h"

#define CF8_BUS(a)    ((uint8_t)((a) >> 16))
#define CF8_DEVFN(a)  ((uint8_t)((a) >> 8))
#define CF8_REG(a)    ((uint16_t)((a) & 0xFC))

static uint32_t all_ones(unsigned size)
{
    return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

static bool access_ok(uint16_t off, unsigned size, unsigned limit)
{
    return (size == 1 || size == 2 || size == 4) && !(off & (size - 1)) && off + size <= limit;
}

/* ---- memory-backed configuration space ---- */

void vpci_cfg_space_set(struct vpci_cfg_space *c, uint16_t off, unsigned size, uint32_t value, uint32_t wmask)
{
    for (unsigned i = 0; i < size && off + i < sizeof(c->bytes); i++) {
        c->bytes[off + i] = (uint8_t)(value >> (8 * i));
        c->wmask[off + i] = (uint8_t)(wmask >> (8 * i));
    }
}

int vpci_cfg_space_read(const struct vpci_cfg_space *c, uint16_t off, unsigned size, uint32_t *value)
{
    *value = 0;
    if (off >= sizeof(c->bytes)) /* no extended capabilities: reads 0 (PCIe 7.6.3) */
        return 0;
    for (unsigned i = 0; i < size; i++)
        *value |= (uint32_t)c->bytes[off + i] << (8 * i);
    return 0;
}

int vpci_cfg_space_write(struct vpci_cfg_space *c, uint16_t off, unsigned size, uint32_t value)
{
    if (off >= sizeof(c->bytes))
        return 0;
    for (unsigned i = 0; i < size; i++) {
        uint8_t m = c->wmask[off + i];

        c->bytes[off + i] = (uint8_t)((c->bytes[off + i] & ~m) | ((value >> (8 * i)) & m));
    }
    return 0;
}

/* ---- the host bridge (q35 MCH as the guest sees it) ---- */

static int host_bridge_read(struct vpci_function *f, uint16_t off, unsigned size, uint32_t *value)
{
    return vpci_cfg_space_read(f->ctx, off, size, value);
}

static int host_bridge_write(struct vpci_function *f, uint16_t off, unsigned size, uint32_t value)
{
    return vpci_cfg_space_write(f->ctx, off, size, value);
}

static const struct vpci_function_ops host_bridge_ops = { host_bridge_read, host_bridge_write };

static void host_bridge_setup(struct vpci *p)
{
    struct vpci_cfg_space *c = &p->host_bridge_cfg;

    memset(c, 0, sizeof(*c));
    vpci_cfg_space_set(c, PCI_CFG_VENDOR_ID, 2, VPCI_HOST_BRIDGE_VENDOR, 0);
    vpci_cfg_space_set(c, PCI_CFG_DEVICE_ID, 2, VPCI_HOST_BRIDGE_DEVICE, 0);
    vpci_cfg_space_set(c, PCI_CFG_COMMAND, 2, PCI_COMMAND_IO | PCI_COMMAND_MEMORY,
                       PCI_COMMAND_IO | PCI_COMMAND_MEMORY | 0x4 /* bus master */);
    vpci_cfg_space_set(c, PCI_CFG_CLASS_REV, 4, (uint32_t)PCI_CLASS_BRIDGE << 24 | PCI_SUBCLASS_HOST_BRIDGE << 16, 0);
    vpci_cfg_space_set(c, PCI_CFG_HEADER_TYPE, 1, PCI_HEADER_NORMAL, 0);
    p->host_bridge = (struct vpci_function){ "host-bridge", 0, VPCI_DEVFN(0, 0), &host_bridge_ops, c, NULL };
}

/* ---- functions ---- */

struct vpci_function *vpci_find_function(const struct vpci *p, uint8_t bus, uint8_t devfn)
{
    for (struct vpci_function *f = p->functions; f; f = f->next)
        if (f->bus == bus && f->devfn == devfn)
            return f;
    return NULL;
}

int vpci_add_function(struct vpci *p, struct vpci_function *f)
{
    if (!f->ops || !f->ops->cfg_read || !f->ops->cfg_write)
        return -EINVAL;
    if (vpci_find_function(p, f->bus, f->devfn))
        return -EEXIST;
    f->next = p->functions;
    p->functions = f;
    pr_debug("%s: pci: %02x:%02x.%u %s added\n", p->name, f->bus, f->devfn >> 3, f->devfn & 7, f->name);
    return 0;
}

void vpci_remove_function(struct vpci *p, struct vpci_function *f)
{
    for (struct vpci_function **pp = &p->functions; *pp; pp = &(*pp)->next)
        if (*pp == f) {
            *pp = f->next;
            f->next = NULL;
            return;
        }
}

uint32_t vpci_cfg_read(struct vpci *p, uint8_t bus, uint8_t devfn, uint16_t off, unsigned size)
{
    struct vpci_function *f = vpci_find_function(p, bus, devfn);
    uint32_t v;

    if (!f || !access_ok(off, size, VPCI_FN_CFG_BYTES) || f->ops->cfg_read(f, off, size, &v))
        return all_ones(size);
    return v & all_ones(size);
}

void vpci_cfg_write(struct vpci *p, uint8_t bus, uint8_t devfn, uint16_t off, unsigned size, uint32_t value)
{
    struct vpci_function *f = vpci_find_function(p, bus, devfn);

    if (f && access_ok(off, size, VPCI_FN_CFG_BYTES))
        f->ops->cfg_write(f, off, size, value & all_ones(size));
}

/* ---- mechanism #1 ---- */

static int address_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct vpci *p = dev->ctx;

    /* Only a dword access at 0xCF8 is CONFIG_ADDRESS; 0xCF9 (q35 reset control) reads 0. */
    *value = (offset == 0 && size == 4) ? p->config_address : 0;
    return 0;
}

static int address_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    /* A guest-caused line: at most 10 per 1000 such writes over all VMs (the count is the clock). */
    static struct log_ratelimit rl = { .interval = 1000, .burst = 10 };
    static uint64_t writes;
    struct vpci *p = dev->ctx;
    uint32_t suppressed;

    if (offset == 0 && size == 4)
        p->config_address = (uint32_t)value & 0x80FFFFFCu;
    else if (offset == 1 && size == 1 && log_ratelimit_allow(&rl, writes++, &suppressed))
        pr_debug("%s: pci: reset control 0xCF9 write 0x%02x ignored (%u similar lines suppressed)\n", p->name,
                 (unsigned)(value & 0xFF), suppressed);
    return 0;
}

static int data_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct vpci *p = dev->ctx;
    uint32_t a = p->config_address;

    if (!(a & VPCI_CF8_ENABLE))
        *value = all_ones(size);
    else
        *value = vpci_cfg_read(p, CF8_BUS(a), CF8_DEVFN(a), (uint16_t)(CF8_REG(a) + offset), size);
    return 0;
}

static int data_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct vpci *p = dev->ctx;
    uint32_t a = p->config_address;

    if (a & VPCI_CF8_ENABLE)
        vpci_cfg_write(p, CF8_BUS(a), CF8_DEVFN(a), (uint16_t)(CF8_REG(a) + offset), size, (uint32_t)value);
    return 0;
}

static const struct iodev_ops address_ops = { address_read, address_write };
static const struct iodev_ops data_ops = { data_read, data_write };

/* ---- ECAM ---- */

static void ecam_decode(uint64_t offset, uint8_t *bus, uint8_t *devfn, uint16_t *reg)
{
    *bus = (uint8_t)(offset >> 20);
    *devfn = (uint8_t)(offset >> 12);
    *reg = (uint16_t)(offset & 0xFFF);
}

static int ecam_read(struct iodev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct vpci *p = dev->ctx;
    uint8_t bus, devfn;
    uint16_t reg;

    ecam_decode(offset, &bus, &devfn, &reg);
    if (size == 8 && !(reg & 7)) /* a qword is two dwords */
        *value = vpci_cfg_read(p, bus, devfn, reg, 4) |
                 (uint64_t)vpci_cfg_read(p, bus, devfn, (uint16_t)(reg + 4), 4) << 32;
    else if (size == 8)
        *value = ~0ULL;
    else
        *value = vpci_cfg_read(p, bus, devfn, reg, size);
    return 0;
}

static int ecam_write(struct iodev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct vpci *p = dev->ctx;
    uint8_t bus, devfn;
    uint16_t reg;

    ecam_decode(offset, &bus, &devfn, &reg);
    if (size == 8 && !(reg & 7)) {
        vpci_cfg_write(p, bus, devfn, reg, 4, (uint32_t)value);
        vpci_cfg_write(p, bus, devfn, (uint16_t)(reg + 4), 4, (uint32_t)(value >> 32));
    } else if (size != 8) {
        vpci_cfg_write(p, bus, devfn, reg, size, (uint32_t)value);
    }
    return 0;
}

static const struct iodev_ops ecam_ops = { ecam_read, ecam_write };

int vpci_init(struct vpci *p, struct iodev_bus *bus, const char *name, uint64_t ecam_base, unsigned ecam_buses)
{
    int err;

    memset(p, 0, sizeof(*p));
    p->name = name;
    if (ecam_buses > PCI_MAX_BUSES)
        return -EINVAL;
    p->ecam_base = ecam_base;
    p->ecam_buses = ecam_buses;
    host_bridge_setup(p);
    p->functions = &p->host_bridge;
    p->pio_address = (struct iodev){ "pci-cf8", IODEV_PIO, VPCI_CONFIG_ADDRESS, 4, &address_ops, p, NULL };
    p->pio_data = (struct iodev){ "pci-cfc", IODEV_PIO, VPCI_CONFIG_DATA, 4, &data_ops, p, NULL };
    p->ecam = (struct iodev){ "pci-ecam", IODEV_MMIO, ecam_base, ecam_buses * VPCI_ECAM_BUS_BYTES, &ecam_ops, p, NULL };
    if ((err = iodev_register(bus, &p->pio_address)))
        return err;
    if ((err = iodev_register(bus, &p->pio_data))) {
        iodev_unregister(bus, &p->pio_address);
        return err;
    }
    if (ecam_buses && (err = iodev_register(bus, &p->ecam))) {
        iodev_unregister(bus, &p->pio_address);
        iodev_unregister(bus, &p->pio_data);
        return err;
    }
    return 0;
}
