// SPDX-License-Identifier: GPL-2.0-only
/* Exception names (SDM vol. 3 table 6-1) and error-code decoding. */
#include "kernel/cpu/exception_names.h"

#include <stdbool.h>

#include "lib/fmt.h"

/* #PF error code bits (SDM vol. 3 figure 4-12). */
#define PF_ERR_PRESENT  (1u << 0)
#define PF_ERR_WRITE    (1u << 1)
#define PF_ERR_USER     (1u << 2)
#define PF_ERR_RSVD     (1u << 3)
#define PF_ERR_FETCH    (1u << 4)
#define PF_ERR_PK       (1u << 5)
#define PF_ERR_SS       (1u << 6)
#define PF_ERR_SGX      (1u << 15)

/* Selector error code (SDM 6.13): EXT, IDT, TI, index. */
#define SEL_ERR_EXT   (1u << 0)
#define SEL_ERR_IDT   (1u << 1)
#define SEL_ERR_TI    (1u << 2)
#define SEL_ERR_INDEX(e) (((e) >> 3) & 0x1FFF)

struct exception_name {
    const char *mnemonic;
    const char *description;
};

static const struct exception_name exception_names[EXCEPTION_VECTORS] = {
    [0] = { "#DE", "divide error" },
    [1] = { "#DB", "debug" },
    [2] = { "NMI", "non-maskable interrupt" },
    [3] = { "#BP", "breakpoint" },
    [4] = { "#OF", "overflow" },
    [5] = { "#BR", "bound range exceeded" },
    [6] = { "#UD", "invalid opcode" },
    [7] = { "#NM", "device not available" },
    [8] = { "#DF", "double fault" },
    [9] = { "#CSO", "coprocessor segment overrun" },
    [10] = { "#TS", "invalid TSS" },
    [11] = { "#NP", "segment not present" },
    [12] = { "#SS", "stack-segment fault" },
    [13] = { "#GP", "general protection" },
    [14] = { "#PF", "page fault" },
    [16] = { "#MF", "x87 floating-point error" },
    [17] = { "#AC", "alignment check" },
    [18] = { "#MC", "machine check" },
    [19] = { "#XM", "SIMD floating-point exception" },
    [20] = { "#VE", "virtualization exception" },
    [21] = { "#CP", "control protection" },
    [28] = { "#HV", "hypervisor injection" },
    [29] = { "#VC", "VMM communication" },
    [30] = { "#SX", "security exception" },
};

static const char *const reserved_mnemonics[EXCEPTION_VECTORS] = {
    [15] = "#15", [22] = "#22", [23] = "#23", [24] = "#24", [25] = "#25",
    [26] = "#26", [27] = "#27", [31] = "#31",
};

const char *exception_mnemonic(unsigned vector)
{
    if (vector >= EXCEPTION_VECTORS)
        return NULL;
    return exception_names[vector].mnemonic ? exception_names[vector].mnemonic : reserved_mnemonics[vector];
}

const char *exception_description(unsigned vector)
{
    if (vector >= EXCEPTION_VECTORS)
        return NULL;
    return exception_names[vector].description ? exception_names[vector].description : "reserved";
}

struct text_builder {
    char *buf;
    size_t size;
    size_t len;
};

static void text_add(struct text_builder *t, const char *word, bool *first)
{
    int n = fmt_snprintf(t->buf + t->len, t->size - t->len, "%s%s", *first ? "" : ", ", word);

    *first = false;
    if (n > 0)
        t->len += (size_t)n < t->size - t->len ? (size_t)n : t->size - t->len - 1;
}

char *pf_error_describe(uint64_t error, char *buf, size_t size)
{
    struct text_builder t = { buf, size, 0 };
    bool first = true;

    if (!size)
        return buf;
    buf[0] = '\0';
    text_add(&t, error & PF_ERR_FETCH ? "instruction fetch" : error & PF_ERR_WRITE ? "write" : "read", &first);
    text_add(&t, error & PF_ERR_PRESENT ? "protection violation" : "not present", &first);
    text_add(&t, error & PF_ERR_USER ? "user" : "supervisor", &first);
    if (error & PF_ERR_RSVD)
        text_add(&t, "reserved bit set", &first);
    if (error & PF_ERR_PK)
        text_add(&t, "protection key", &first);
    if (error & PF_ERR_SS)
        text_add(&t, "shadow stack", &first);
    if (error & PF_ERR_SGX)
        text_add(&t, "SGX", &first);
    return buf;
}

char *selector_error_describe(uint64_t error, char *buf, size_t size)
{
    const char *table = error & SEL_ERR_IDT ? "IDT vector" : error & SEL_ERR_TI ? "LDT selector" : "GDT selector";
    uint64_t index = SEL_ERR_INDEX(error);

    if (!size)
        return buf;
    if (error & SEL_ERR_IDT)
        fmt_snprintf(buf, size, "%s 0x%02llx%s", table, (unsigned long long)index,
                     error & SEL_ERR_EXT ? ", external" : "");
    else
        fmt_snprintf(buf, size, "%s 0x%llx%s", table, (unsigned long long)(index << 3),
                     error & SEL_ERR_EXT ? ", external" : "");
    return buf;
}
