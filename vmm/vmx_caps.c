// SPDX-License-Identifier: GPL-2.0-only
/* VMX capability decoding (SDM Vol. 3 appendix A). */
#include "vmm/vmx_caps.h"

#include "lib/fmt.h"

bool vmx_ctl_adjust(uint64_t cap_msr, uint32_t want, uint32_t need, uint32_t *out, uint32_t *missing)
{
    uint32_t allowed0 = (uint32_t)cap_msr;         /* bits that must be 1 */
    uint32_t allowed1 = (uint32_t)(cap_msr >> 32); /* bits that may be 1 */

    *out = (want | need | allowed0) & allowed1;
    *missing = need & ~allowed1;
    return *missing == 0 && (allowed0 & ~allowed1) == 0;
}

struct flag_name {
    uint64_t bit;
    const char *name;
};

static size_t append_flags(char *buf, size_t size, size_t n, uint64_t v, const struct flag_name *f, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (v & f[i].bit)
            n += (size_t)fmt_snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, " %s", f[i].name);
    return n;
}

size_t vmx_caps_describe(const struct vmx_msr_values *v, char *buf, size_t size)
{
    static const struct flag_name proc2_names[] = {
        { VMX_PROC2_EPT, "ept" }, { VMX_PROC2_VPID, "vpid" },
        { VMX_PROC2_UNRESTRICTED, "unrestricted-guest" }, { VMX_PROC2_RDTSCP, "rdtscp" },
        { VMX_PROC2_INVPCID, "invpcid" }, { VMX_PROC2_XSAVES, "xsaves" },
    };
    static const struct flag_name ept_names[] = {
        { EPT_CAP_PWL4, "4-level" }, { EPT_CAP_PWL5, "5-level" }, { EPT_CAP_MEMTYPE_WB, "wb" },
        { EPT_CAP_MEMTYPE_UC, "uc" }, { EPT_CAP_2M, "2M" }, { EPT_CAP_1G, "1G" },
        { EPT_CAP_EXEC_ONLY, "exec-only" }, { EPT_CAP_AD, "a/d" }, { EPT_CAP_INVEPT, "invept" },
        { EPT_CAP_INVEPT_SINGLE, "invept-single" }, { EPT_CAP_INVEPT_ALL, "invept-all" },
        { VPID_CAP_INVVPID, "invvpid" }, { VPID_CAP_INVVPID_ADDR, "invvpid-addr" },
        { VPID_CAP_INVVPID_SINGLE, "invvpid-single" }, { VPID_CAP_INVVPID_ALL, "invvpid-all" },
    };
    uint64_t proc2_allowed1 = v->has_proc2 ? v->proc2 >> 32 : 0;
    size_t n = (size_t)fmt_snprintf(buf, size, "basic 0x%016llx rev %#x vmcs %u B%s; secondary:",
                                    (unsigned long long)v->basic, VMX_BASIC_REVISION(v->basic),
                                    VMX_BASIC_VMCS_SIZE(v->basic),
                                    (v->basic & VMX_BASIC_TRUE_CTLS) ? " true-controls" : "");
    n = append_flags(buf, size, n, proc2_allowed1, proc2_names, sizeof(proc2_names) / sizeof(proc2_names[0]));
    if (!proc2_allowed1)
        n += (size_t)fmt_snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, " none");
    n += (size_t)fmt_snprintf(buf + (n < size ? n : size), n < size ? size - n : 0, "; ept/vpid cap 0x%016llx:",
                              (unsigned long long)v->ept_vpid);
    return append_flags(buf, size, n, v->ept_vpid, ept_names, sizeof(ept_names) / sizeof(ept_names[0]));
}
