// SPDX-License-Identifier: GPL-2.0-only
/* Local APIC in xAPIC (MMIO) or x2APIC (MSR) mode (SDM vol. 3 chapter 11). */
#include "kernel/cpu/lapic.h"

#include "kernel/arch/x86.h"
#include "kernel/cpu/irq.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/time.h"
#include "kernel/time_math.h"

/* IA32_APIC_BASE (SDM 11.4.4). */
#define APIC_BASE_BSP       (1ULL << 8)
#define APIC_BASE_X2APIC    (1ULL << 10)
#define APIC_BASE_ENABLE    (1ULL << 11)
#define APIC_BASE_ADDR_MASK 0x000FFFFFFFFFF000ULL
#define CPUID1_EDX_APIC     (1u << 9)

/* Register offsets in the xAPIC page (SDM table 11-1); x2APIC MSR = 0x800 + offset / 16. */
enum lapic_reg {
    LAPIC_ID = 0x020,
    LAPIC_VERSION = 0x030,
    LAPIC_TPR = 0x080,
    LAPIC_EOI = 0x0B0,
    LAPIC_SVR = 0x0F0,
    LAPIC_ESR = 0x280,
    LAPIC_LVT_TIMER = 0x320,
    LAPIC_LVT_LINT0 = 0x350,
    LAPIC_LVT_LINT1 = 0x360,
    LAPIC_LVT_ERROR = 0x370,
    LAPIC_TIMER_INITIAL = 0x380,
    LAPIC_TIMER_CURRENT = 0x390,
    LAPIC_TIMER_DIVIDE_CFG = 0x3E0,
};

#define X2APIC_MSR_BASE 0x800
#define LAPIC_MMIO_SIZE 0x1000

#define SVR_APIC_ENABLE   (1u << 8)
#define LVT_MASKED        (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_VECTOR_MASK   0xFFu
#define XAPIC_ID_SHIFT    24
#define VERSION_MASK      0xFFu
#define VERSION_MAX_LVT(v) (((v) >> 16) & 0xFF)
/* Divide configuration encoding for divide by 16 (SDM figure 11-10). */
#define TIMER_DIVIDE_BY_16 0x3u

/* MSI address and data (SDM 11.11.1, 11.11.2). */
#define MSI_ADDRESS_BASE       0xFEE00000u
#define MSI_ADDRESS_DEST_SHIFT 12
#define MSI_DATA_DELIVERY_FIXED (0u << 8)
#define MSI_DATA_TRIGGER_EDGE   (0u << 15)

#define CALIBRATION_US 10000
#define US_PER_SEC 1000000ULL

static volatile uint32_t *lapic_mmio;
static bool lapic_x2apic;
static bool lapic_enabled;
static uint64_t lapic_phys;
static uint64_t lapic_input_hz;

static uint32_t lapic_read(enum lapic_reg reg)
{
    if (lapic_x2apic)
        return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
    return lapic_mmio[reg / 4];
}

static void lapic_write(enum lapic_reg reg, uint32_t v)
{
    if (lapic_x2apic)
        wrmsr(X2APIC_MSR_BASE + reg / 16, v);
    else
        lapic_mmio[reg / 4] = v;
}

bool lapic_enable(void)
{
    uint64_t base;

    if (lapic_enabled)
        return true;
    if (!(cpuid(1, 0).edx & CPUID1_EDX_APIC)) {
        pr_err("lapic: this CPU reports no local APIC\n");
        return false;
    }
    base = rdmsr(MSR_APIC_BASE);
    if (!(base & APIC_BASE_ENABLE)) {
        base |= APIC_BASE_ENABLE;
        wrmsr(MSR_APIC_BASE, base);
    }
    lapic_x2apic = base & APIC_BASE_X2APIC;
    if (!lapic_x2apic) {
        lapic_phys = base & APIC_BASE_ADDR_MASK;
        lapic_mmio = ioremap(lapic_phys, LAPIC_MMIO_SIZE);
        if (!lapic_mmio) {
            pr_err("lapic: cannot map the xAPIC page at %#llx\n", (unsigned long long)lapic_phys);
            return false;
        }
    }

    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED); /* the 8259s are masked: no ExtINT */
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    lapic_write(LAPIC_SVR, SVR_APIC_ENABLE | LAPIC_SPURIOUS_VECTOR);
    lapic_write(LAPIC_ESR, 0); /* clears the error status (SDM 11.5.3) */
    lapic_write(LAPIC_EOI, 0); /* retire anything in service from the firmware */
    lapic_enabled = true;
    return true;
}

uint64_t lapic_base_phys(void)
{
    return lapic_phys;
}

bool lapic_is_x2apic(void)
{
    return lapic_x2apic;
}

void lapic_init(void)
{
    uint32_t version;

    if (!lapic_enable())
        return;
    version = lapic_read(LAPIC_VERSION);
    if (lapic_x2apic)
        pr_info("lapic: id %u, x2APIC mode, version %#x, %u LVT entries, spurious vector %#x\n", lapic_id(),
                version & VERSION_MASK, VERSION_MAX_LVT(version) + 1, LAPIC_SPURIOUS_VECTOR);
    else
        pr_info("lapic: id %u at %#llx, version %#x, %u LVT entries, spurious vector %#x\n", lapic_id(),
                (unsigned long long)lapic_phys, version & VERSION_MASK, VERSION_MAX_LVT(version) + 1,
                LAPIC_SPURIOUS_VECTOR);
}

void lapic_eoi(void)
{
    if (lapic_enabled)
        lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
    if (!lapic_enabled)
        return 0;
    if (lapic_x2apic)
        return lapic_read(LAPIC_ID);
    return lapic_read(LAPIC_ID) >> XAPIC_ID_SHIFT;
}

uint32_t msi_address_for_this_cpu(void)
{
    uint32_t id = lapic_id();

    /* Compatibility-format MSIs carry an 8-bit destination; larger IDs need remapping. */
    if (id > 0xFF)
        pr_warn("lapic: id %u does not fit an MSI destination; using 0\n", id);
    return MSI_ADDRESS_BASE | (id > 0xFF ? 0 : id) << MSI_ADDRESS_DEST_SHIFT;
}

uint32_t msi_data_for_vector(int vector)
{
    return MSI_DATA_TRIGGER_EDGE | MSI_DATA_DELIVERY_FIXED | ((uint32_t)vector & LVT_VECTOR_MASK);
}

uint64_t lapic_timer_calibrate(void)
{
    uint64_t t0, t1, wait_tsc, counted;
    uint32_t remaining;

    if (!lapic_enable())
        return 0;
    wait_tsc = mul_div_u64(tsc_hz(), CALIBRATION_US, US_PER_SEC);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_TIMER_DIVIDE_CFG, TIMER_DIVIDE_BY_16);
    t0 = rdtsc();
    lapic_write(LAPIC_TIMER_INITIAL, UINT32_MAX);
    while (rdtsc() - t0 < wait_tsc)
        cpu_relax();
    remaining = lapic_read(LAPIC_TIMER_CURRENT);
    t1 = rdtsc();
    lapic_write(LAPIC_TIMER_INITIAL, 0);

    counted = UINT32_MAX - remaining;
    if (!counted || t1 == t0)
        return 0;
    lapic_input_hz = mul_div_u64(counted * LAPIC_TIMER_DIVIDE, tsc_hz(), t1 - t0);
    return lapic_input_hz;
}

uint64_t lapic_timer_hz(void)
{
    return lapic_input_hz;
}

static int lapic_timer_start(uint64_t us, int vector, uint32_t mode)
{
    uint64_t count;

    if (vector < 0x20 || vector > 0xFF || !us)
        return -EINVAL;
    if (!lapic_enabled || !lapic_input_hz)
        return -ENODEV;
    count = mul_div_u64(us, lapic_input_hz, US_PER_SEC * LAPIC_TIMER_DIVIDE);
    if (count == 0)
        count = 1;
    if (count > UINT32_MAX)
        count = UINT32_MAX;
    lapic_write(LAPIC_TIMER_INITIAL, 0);
    lapic_write(LAPIC_TIMER_DIVIDE_CFG, TIMER_DIVIDE_BY_16);
    lapic_write(LAPIC_LVT_TIMER, mode | (uint32_t)vector);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)count);
    return 0;
}

int lapic_timer_oneshot(uint64_t us, int vector)
{
    return lapic_timer_start(us, vector, 0);
}

int lapic_timer_periodic(uint64_t us, int vector)
{
    return lapic_timer_start(us, vector, LVT_TIMER_PERIODIC);
}

void lapic_timer_stop(void)
{
    if (!lapic_enabled)
        return;
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
}
