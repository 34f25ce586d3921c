// SPDX-License-Identifier: GPL-2.0-only
/*
 * String port I/O (INS/OUTS, REP): see string_io.h. Each element is translated before
 * the port is touched, so a faulting element has no device side effect.
 */
#include "vmm/string_io.h"

#include "lib/fmt.h"

#define RFLAGS_DF (1ULL << 10)
#define PAGE_4K   4096ULL

/* Where one element lives: at most two pieces when it crosses a page. */
struct element_place {
    uint64_t gpa[2];
    unsigned len[2];
    unsigned pieces;
};

bool string_io_decode_prefixes(const uint8_t *bytes, unsigned n, unsigned default_addr_size, bool long_mode,
                               unsigned *addr_size, enum string_io_seg *seg)
{
    bool addr_override = false;
    unsigned i;

    *seg = STRING_IO_DS;
    for (i = 0; i < n; i++) {
        switch (bytes[i]) {
        case 0x26: *seg = STRING_IO_ES; continue;
        case 0x2E: *seg = STRING_IO_CS; continue;
        case 0x36: *seg = STRING_IO_SS; continue;
        case 0x3E: *seg = STRING_IO_DS; continue;
        case 0x64: *seg = STRING_IO_FS; continue;
        case 0x65: *seg = STRING_IO_GS; continue;
        case 0x67: addr_override = true; continue;
        case 0x66: case 0xF0: case 0xF2: case 0xF3: continue;
        default: break;
        }
        if (long_mode && (bytes[i] & 0xF0) == 0x40)
            continue; /* REX: no effect on the address size */
        break;
    }
    if (i >= n || bytes[i] < 0x6C || bytes[i] > 0x6F)
        return false;
    if (long_mode)
        *addr_size = addr_override ? 4 : 8;
    else
        *addr_size = addr_override ? 6 - default_addr_size : default_addr_size;
    return true;
}

static uint64_t addr_mask(unsigned addr_size)
{
    return addr_size >= 8 ? ~0ULL : (1ULL << (8 * addr_size)) - 1;
}

/* A register written at the address size: 16 bits keep 63:16, 32 bits clear 63:32. */
static uint64_t update_reg(uint64_t old, uint64_t value, unsigned addr_size)
{
    if (addr_size == 2)
        return (old & ~0xFFFFULL) | (value & 0xFFFF);
    return value & addr_mask(addr_size);
}

/* Outside IA-32e mode linear addresses are 32 bits wide and wrap (SDM vol. 3 3.4). */
static bool linear_wraps_32(const struct string_io_env *env)
{
    return !(env->paging.efer & GUEST_EFER_LMA);
}

static bool fault_or_stop(enum guest_walk_status st, const struct guest_walk_result *w, uint64_t linear,
                          struct string_io_result *res)
{
    switch (st) {
    case GUEST_WALK_NOT_PRESENT:
    case GUEST_WALK_PROTECTION:
    case GUEST_WALK_RESERVED:
        res->status = STRING_IO_FAULT;
        res->vector = STRING_IO_EXC_PF;
        res->error = w->pf_error;
        res->cr2 = linear;
        return false;
    case GUEST_WALK_NONCANONICAL:
        res->status = STRING_IO_FAULT;
        res->vector = STRING_IO_EXC_GP;
        res->error = 0;
        return false;
    default:
        res->status = STRING_IO_STOP;
        fmt_snprintf(res->reason, sizeof(res->reason), "string I/O: page walk for linear 0x%llx: %s (entry GPA 0x%llx)",
                     (unsigned long long)linear, guest_walk_status_str(st), (unsigned long long)w->entry_gpa);
        return false;
    }
}

static bool place_element(const struct string_io_env *env, uint64_t linear, unsigned size, bool write,
                          bool wrap32, struct element_place *p, struct string_io_result *res)
{
    struct guest_mem_reader reader = { env->mem_read, env->ctx };
    unsigned access = (write ? GUEST_ACCESS_WRITE : 0) | (env->user ? GUEST_ACCESS_USER : 0);
    unsigned at = 0;

    p->pieces = 0;
    while (at < size) {
        struct guest_walk_result w = { 0 };
        uint64_t lin = linear + at;
        enum guest_walk_status st;
        unsigned chunk;

        if (wrap32)
            lin &= 0xFFFFFFFFULL;
        st = guest_walk(&env->paging, &reader, lin, access, &w);
        if (st != GUEST_WALK_OK)
            return fault_or_stop(st, &w, lin, res);
        chunk = (unsigned)(PAGE_4K - (lin & (PAGE_4K - 1)));
        if (chunk > size - at)
            chunk = size - at;
        p->gpa[p->pieces] = w.gpa;
        p->len[p->pieces] = chunk;
        p->pieces++;
        at += chunk;
    }
    return true;
}

static bool mem_failed(int err, bool write, const struct element_place *p, unsigned piece, uint64_t linear,
                       struct string_io_result *res)
{
    if (!err)
        return false;
    res->status = STRING_IO_STOP;
    fmt_snprintf(res->reason, sizeof(res->reason), "string I/O: %s at GPA 0x%llx (linear 0x%llx) is not guest RAM",
                 write ? "INS write" : "OUTS read", (unsigned long long)p->gpa[piece], (unsigned long long)linear);
    return true;
}

/* One element; false with res filled in when the instruction cannot go on. */
static bool one_element(const struct string_io_env *env, const struct string_io_access *a, uint64_t linear,
                        struct string_io_result *res)
{
    struct element_place p;
    uint8_t buf[4];
    uint32_t value = 0;
    unsigned at = 0;

    if (!place_element(env, linear, a->size, a->in, linear_wraps_32(env), &p, res))
        return false;
    if (a->in) {
        value = env->port_in(env->ctx, a->port, a->size);
        for (unsigned i = 0; i < a->size; i++)
            buf[i] = (uint8_t)(value >> (8 * i));
        for (unsigned k = 0; k < p.pieces; at += p.len[k], k++)
            if (mem_failed(env->mem_write(env->ctx, p.gpa[k], buf + at, p.len[k]), true, &p, k, linear, res))
                return false;
        return true;
    }
    for (unsigned k = 0; k < p.pieces; at += p.len[k], k++)
        if (mem_failed(env->mem_read(env->ctx, p.gpa[k], buf + at, p.len[k]), false, &p, k, linear, res))
            return false;
    for (unsigned i = 0; i < a->size; i++)
        value |= (uint32_t)buf[i] << (8 * i);
    if (!env->port_out(env->ctx, a->port, a->size, value)) {
        res->status = STRING_IO_STOP;
        fmt_snprintf(res->reason, sizeof(res->reason), "string I/O: the device at port 0x%x stopped the VM",
                     a->port);
        return false;
    }
    return true;
}

void string_io_run(const struct string_io_env *env, const struct string_io_access *a, struct vcpu_regs *r,
                   struct string_io_result *res)
{
    uint64_t mask = addr_mask(a->addr_size);
    uint64_t count = a->rep ? r->rcx & mask : 1;
    uint64_t step = (r->rflags & RFLAGS_DF) ? (uint64_t)0 - a->size : a->size;
    uint64_t *index = a->in ? &r->rdi : &r->rsi;

    *res = (struct string_io_result){ .status = STRING_IO_DONE };
    if (a->size != 1 && a->size != 2 && a->size != 4) {
        res->status = STRING_IO_STOP;
        fmt_snprintf(res->reason, sizeof(res->reason), "string I/O: element size %u", a->size);
        return;
    }
    if (a->addr_size != 2 && a->addr_size != 4 && a->addr_size != 8) {
        res->status = STRING_IO_STOP;
        fmt_snprintf(res->reason, sizeof(res->reason), "string I/O: address size %u", a->addr_size);
        return;
    }
    while (count && res->done < STRING_IO_MAX_ITERATIONS) {
        uint64_t linear = a->seg_base + (*index & mask);

        if (linear_wraps_32(env))
            linear &= 0xFFFFFFFFULL;
        if (!one_element(env, a, linear, res))
            return; /* RIP stays on the instruction; registers count the completed elements */
        *index = update_reg(*index, *index + step, a->addr_size);
        count--;
        if (a->rep)
            r->rcx = update_reg(r->rcx, count, a->addr_size);
        res->done++;
    }
    if (!count)
        r->rip = a->next_rip;
}
