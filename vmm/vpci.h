/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual PCI segment 0 of a VM: configuration mechanism #1 (PCI Local Bus Spec 3.0
 * 3.2.2.3.2: CONFIG_ADDRESS at port 0xCF8, CONFIG_DATA at 0xCFC-0xCFF) and an ECAM window
 * (PCIe Base Spec 4.0 7.2.2: bus[27:20] dev[19:15] fn[14:12] reg[11:0]) as the guest's MCFG
 * describes it. Functions are added with their own configuration-space callbacks, so an
 * emulated device and an assigned host device (with virtualised config space) plug in
 * the same way; a read of an absent function returns all ones, a write is dropped.
 * The host bridge 8086:29c0 (q35 MCH) sits at 00:00.0.
 *
 * Invariant: the callbacks see only naturally aligned accesses of 1, 2 or 4 bytes with
 * offset + size <= 0x1000 (mechanism #1 reaches only the first 0x100 bytes).
 * Pure: unit-tested on Linux.
 */
#ifndef NESTOR_VMM_VPCI_H
#define NESTOR_VMM_VPCI_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/iodev.h"

#define VPCI_CONFIG_ADDRESS   0xCF8
#define VPCI_CONFIG_DATA      0xCFC
#define VPCI_CF8_ENABLE       (1u << 31)
#define VPCI_ECAM_BASE        0xB0000000ULL   /* where q35 firmware puts it */
#define VPCI_ECAM_BUS_BYTES   (1ULL << 20)
#define VPCI_FN_CFG_BYTES     0x1000
#define VPCI_HOST_BRIDGE_VENDOR 0x8086
#define VPCI_HOST_BRIDGE_DEVICE 0x29c0

/* devfn as in the config address: device in bits 7:3, function in 2:0. */
#define VPCI_DEVFN(dev, fn)   ((uint8_t)(((dev) << 3) | (fn)))

struct vpci_function;
struct vpci_function_ops {
    int (*cfg_read)(struct vpci_function *f, uint16_t off, unsigned size, uint32_t *value);
    int (*cfg_write)(struct vpci_function *f, uint16_t off, unsigned size, uint32_t value);
};

/*
 * One function on the bus. A multi-function device sets the multi-function bit in the
 * header type of its function 0 (software scans functions 1-7 only then).
 */
struct vpci_function {
    const char *name;
    uint8_t bus, devfn;
    const struct vpci_function_ops *ops;
    void *ctx;
    struct vpci_function *next;
};

/* A configuration space held in memory: bytes as read, wmask the bits the guest may write. */
struct vpci_cfg_space {
    uint8_t bytes[0x100];
    uint8_t wmask[0x100];
};

struct vpci {
    const char *name;            /* "vm0" */
    uint32_t config_address;     /* the CF8 latch */
    uint64_t ecam_base;
    unsigned ecam_buses;         /* 0: no ECAM window */
    struct vpci_function *functions;
    struct vpci_function host_bridge;
    struct vpci_cfg_space host_bridge_cfg;
    struct iodev pio_address, pio_data, ecam;
};

/*
 * The bus with its host bridge; registers ports 0xCF8 (4 bytes), 0xCFC (4 bytes) and, when
 * ecam_buses is not 0, the window [ecam_base, + ecam_buses MiB). 0 or a registry error.
 */
int vpci_init(struct vpci *p, struct iodev_bus *bus, const char *name, uint64_t ecam_base, unsigned ecam_buses);

/* Adds f (fields set by the caller). -EEXIST if its slot is taken, -EINVAL without ops. */
int vpci_add_function(struct vpci *p, struct vpci_function *f);
void vpci_remove_function(struct vpci *p, struct vpci_function *f);
struct vpci_function *vpci_find_function(const struct vpci *p, uint8_t bus, uint8_t devfn);

/* Configuration access by address (any mechanism): all ones / dropped for absent functions. */
uint32_t vpci_cfg_read(struct vpci *p, uint8_t bus, uint8_t devfn, uint16_t off, unsigned size);
void vpci_cfg_write(struct vpci *p, uint8_t bus, uint8_t devfn, uint16_t off, unsigned size, uint32_t value);

/* A memory-backed configuration space (for synthetic functions such as the host bridge). */
void vpci_cfg_space_set(struct vpci_cfg_space *c, uint16_t off, unsigned size, uint32_t value, uint32_t wmask);
int vpci_cfg_space_read(const struct vpci_cfg_space *c, uint16_t off, unsigned size, uint32_t *value);
int vpci_cfg_space_write(struct vpci_cfg_space *c, uint16_t off, unsigned size, uint32_t value);

#endif
