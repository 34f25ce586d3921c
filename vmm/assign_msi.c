// SPDX-License-Identifier: GPL-2.0-only
/* Guest MSI decoding and device MSI programming (formats in assign_msi.h). */
#include "vmm/assign_msi.h"

#include "vmm/assign_regs.h"

enum msi_decode_status msi_decode(uint64_t addr, uint32_t data, struct msi_route *out)
{
    unsigned delivery = (data >> MSI_DATA_DELIVERY_SHIFT) & MSI_DATA_DELIVERY_MASK;
    unsigned vector = data & MSI_DATA_VECTOR_MASK;

    if ((addr >> 32) || ((uint32_t)addr & MSI_ADDR_BASE_MASK) != MSI_ADDR_BASE)
        return MSI_BAD_ADDRESS;
    if (addr & MSI_ADDR_REMAPPABLE)
        return MSI_REMAPPABLE;
    if (delivery != MSI_DELIVERY_FIXED && delivery != MSI_DELIVERY_LOWPRI)
        return MSI_BAD_DELIVERY;
    if (data & MSI_DATA_TRIGGER_LEVEL)
        return MSI_LEVEL;
    if (vector < MSI_VECTOR_MIN)
        return MSI_BAD_VECTOR;
    out->vector = (uint8_t)vector;
    out->dest = (uint8_t)((addr >> MSI_ADDR_DEST_SHIFT) & MSI_ADDR_DEST_MASK);
    out->dest_logical = addr & MSI_ADDR_DEST_LOGICAL;
    return MSI_OK;
}

const char *msi_decode_status_name(enum msi_decode_status s)
{
    switch (s) {
    case MSI_OK: return "ok";
    case MSI_BAD_ADDRESS: return "address outside 0xfee00000-0xfeefffff";
    case MSI_REMAPPABLE: return "remappable format without an IOMMU in the guest";
    case MSI_BAD_DELIVERY: return "delivery mode other than fixed or lowest priority";
    case MSI_LEVEL: return "level-triggered";
    case MSI_BAD_VECTOR: return "vector below 16";
    }
    return "unknown";
}

void msi_host_program(const struct assign_cfg_host *h, uint8_t cap, bool addr64, bool enable, uint32_t addr,
                      uint32_t data)
{
    uint32_t hdr = h->read32(h->ctx, cap);
    uint32_t off_ctrl_bits = (uint32_t)(ASSIGN_MSI_CTRL_ENABLE | ASSIGN_MSI_CTRL_MME_MASK) << 16;

    h->write32(h->ctx, cap, hdr & ~off_ctrl_bits);
    if (!enable)
        return;
    h->write32(h->ctx, cap + ASSIGN_MSI_ADDR_LO, addr);
    if (addr64) {
        h->write32(h->ctx, cap + ASSIGN_MSI_ADDR_HI, 0);
        h->write32(h->ctx, cap + ASSIGN_MSI_DATA_64, data & 0xffffu);
    } else {
        h->write32(h->ctx, cap + ASSIGN_MSI_DATA_32, data & 0xffffu);
    }
    h->write32(h->ctx, cap, (hdr & ~off_ctrl_bits) | (uint32_t)ASSIGN_MSI_CTRL_ENABLE << 16);
}
