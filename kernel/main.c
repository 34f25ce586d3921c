// SPDX-License-Identifier: GPL-2.0-only
/* Nestor's C entry: bring-up order of the subsystems, then the boot summary. */
#include <stdint.h>

#include "iommu/iommu.h"
#include "kernel/acpi/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/cpu/irq.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/pci.h"
#include "kernel/platform.h"
#include "kernel/selftest.h"
#include "kernel/time.h"
#include "kernel/uart16550.h"
#include "vmm/vmm.h"

#define NESTOR_VERSION "0.1"
#define BOOT_IDENTITY_LIMIT 0x100000000ULL /* the boot page tables map 0..4 GiB */

static struct boot_info boot_info;

/* Before the host page tables exist, physical memory below 4 GiB is identity-mapped. */
static const void *boot_phys_read(uint64_t pa, size_t len)
{
    if (pa < 0x1000 || pa >= BOOT_IDENTITY_LIMIT || len > BOOT_IDENTITY_LIMIT - pa)
        return 0;
    return (const void *)(uintptr_t)pa;
}

static void apply_log_level(void)
{
    char v[16];
    enum log_level lvl;

    if (!cmdline_get("loglevel", v, sizeof(v)))
        return;
    if (log_level_parse(v, &lvl))
        log_set_level(lvl);
    else
        pr_warn("cmdline: loglevel=%s unknown (err, warn, info, debug)\n", v);
}

void kmain(uint32_t magic, uint64_t info_pa);
void kmain(uint32_t magic, uint64_t info_pa)
{
    uart_init(UART_COM1, 115200);
    log_set_sink(uart_write);
    log_raw("\nNestor " NESTOR_VERSION " - VT-d microhypervisor\n");

    if (bootinfo_parse(magic, info_pa, boot_phys_read, &boot_info) < 0) {
        /* Bad boot-loader input is not a hypervisor bug: a readable reason, no panic. */
        pr_err("boot: no usable multiboot information (magic %#x); stopping\n", magic);
        platform_exit_init(); /* no command line: exit=auto */
        platform_exit(PLATFORM_EXIT_FAILURE);
    }
    cmdline_set(boot_info.cmdline);
    apply_log_level();
    platform_exit_init();
    cpu_tables_init();
    pr_info("boot: multiboot%d, command line \"%s\"\n", boot_info.protocol, cmdline_get_all());
    if (frames_init(&boot_info) < 0 || paging_init(&boot_info) < 0) {
        pr_err("boot: memory setup failed (see above); stopping\n");
        platform_exit(PLATFORM_EXIT_FAILURE);
    }
    time_init();
    acpi_init(&boot_info, phys_read);
    lapic_init();
    pci_init(acpi_info.have_mcfg ? &acpi_info.mcfg : NULL);
    iommu_init(&boot_info);
    vmm_init(&boot_info);

    selftest_run();
    log_raw("nestor: boot complete\n");
    platform_exit(vmm_exit_code());
}
