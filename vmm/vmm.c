// SPDX-License-Identifier: GPL-2.0-only
/* Boot-time guest flow (see vmm.h). */
#include "vmm/vmm.h"

#include <stdbool.h>

#include "kernel/cmdline.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/platform.h"
#include "lib/fmt.h"
#include "lib/kstring.h"
#include "vmm/guest_boot.h"
#include "vmm/guest_loader.h"
#include "vmm/vm.h"

/* The built-in guest (builtin_guest.S): a Multiboot1 a.out-kludge image. */
extern const uint8_t builtin_guest_start[], builtin_guest_end[];

#define GUEST_WORD "guest"

/* The outcome of this boot's guest runs (host state, not VM state). */
static int vmm_result = PLATFORM_EXIT_SUCCESS;

int vmm_exit_code(void) { return vmm_result; }

static void record_result(const struct vm *vm)
{
    if (vm->debug_exit_written && vmm_result == PLATFORM_EXIT_SUCCESS)
        vmm_result = (int)(uint8_t)vm->debug_exit_value;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *next_word(const char *s)
{
    while (*s && *s != ' ' && *s != '\t')
        s++;
    return skip_spaces(s);
}

/* "64M", "1G", "65536K", or bytes. */
static bool parse_size(const char *s, size_t n, uint64_t *out)
{
    char buf[24];
    uint64_t shift = 0, v;

    if (!n || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    switch (buf[n - 1]) {
    case 'K': case 'k': shift = 10; break;
    case 'M': case 'm': shift = 20; break;
    case 'G': case 'g': shift = 30; break;
    }
    if (shift)
        buf[n - 1] = '\0';
    if (!cmdline_parse_u64(buf, &v) || v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

struct guest_spec {
    uint64_t mem_bytes;
    const char *cmdline; /* the rest, passed to the guest */
};

static bool is_guest_word(const char *s)
{
    size_t n = sizeof(GUEST_WORD) - 1;

    return !strncmp(s, GUEST_WORD, n) && (!s[n] || s[n] == ' ' || s[n] == '\t');
}

/*
 * A module's command line: an optional leading file name, the word "guest", Nestor's
 * options (mem=SIZE), then the guest's own command line. False when not a guest.
 */
static bool parse_guest_cmdline(const char *name, const char *s, struct guest_spec *g)
{
    s = skip_spaces(s);
    if (!is_guest_word(s))
        s = next_word(s); /* the file name, as GRUB and QEMU -initrd put it first */
    if (!is_guest_word(s))
        return false;
    s = next_word(s);
    g->mem_bytes = VMM_DEFAULT_GUEST_MEM;
    while (!strncmp(s, "mem=", 4)) {
        const char *end = next_word(s);
        size_t n = 0;

        while (s[4 + n] && s[4 + n] != ' ' && s[4 + n] != '\t')
            n++;
        if (!parse_size(s + 4, n, &g->mem_bytes)) {
            pr_warn("%s: mem=%.*s not understood; using %llu MiB\n", name, (int)n, s + 4,
                    (unsigned long long)(VMM_DEFAULT_GUEST_MEM >> 20));
            g->mem_bytes = VMM_DEFAULT_GUEST_MEM;
        }
        s = end;
    }
    g->cmdline = s;
    return true;
}

static void run_guest(unsigned id, const struct vcpu_ops *backend, const void *image, size_t len,
                      const struct guest_spec *g, const char *what)
{
    struct vm *vm = vm_create(id, g->mem_bytes, backend);

    if (!vm) {
        pr_err("vm%u: not created; %s skipped\n", id, what);
        vmm_result = PLATFORM_EXIT_FAILURE;
        return;
    }
    pr_info("%s: %s, %zu bytes, command line \"%s\"\n", vm->name, what, len, g->cmdline);
    if (guest_boot_multiboot1(vm, image, len, g->cmdline)) {
        pr_err("%s: guest image refused; VM not started\n", vm->name);
        vmm_result = PLATFORM_EXIT_FAILURE;
    } else {
        vm_run(vm);
        record_result(vm);
    }
    vm_destroy(vm);
}

void vmm_init(const struct boot_info *bi)
{
    const struct vcpu_ops *backend;
    struct guest_spec specs[BOOT_MODULES_MAX];
    bool is_guest[BOOT_MODULES_MAX] = { false };
    unsigned nr_guests = 0, id = 0;
    char selftest[16] = "";
    bool builtin;

    for (unsigned i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++) {
        char name[16];

        fmt_snprintf(name, sizeof(name), "module%u", i);
        is_guest[i] = parse_guest_cmdline(name, bi->modules[i].cmdline, &specs[i]);
        nr_guests += is_guest[i];
    }
    cmdline_get("selftest", selftest, sizeof(selftest));
    builtin = !nr_guests && (!strcmp(selftest, "svm") || !strcmp(selftest, "vmx"));
    if (!nr_guests && !builtin) {
        pr_info("vmm: no guest module (GRUB: module2 <kernel> guest [mem=SIZE] [args])\n");
        return;
    }
    backend = vcpu_backend_probe();
    if (!backend) {
        pr_err("vmm: %u guest(s) requested but no virtualisation back end: not started\n",
               builtin ? 1 : nr_guests);
        vmm_result = PLATFORM_EXIT_FAILURE;
        return;
    }
    if (builtin) {
        struct guest_spec g = { 16ULL << 20, "" };
        char what[48];

        if (strcmp(selftest, backend->name))
            pr_warn("vmm: selftest=%s, but this CPU's back end is %s\n", selftest, backend->name);
        fmt_snprintf(what, sizeof(what), "built-in guest (selftest=%s)", selftest);
        run_guest(0, backend, builtin_guest_start, (size_t)(builtin_guest_end - builtin_guest_start), &g, what);
        return;
    }
    for (unsigned i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++) {
        const struct boot_module *m = &bi->modules[i];
        size_t len = (size_t)(m->end - m->start);
        const void *image;
        char what[48];

        if (!is_guest[i])
            continue;
        fmt_snprintf(what, sizeof(what), "guest module %u", i);
        image = m->end > m->start ? phys_read(m->start, len) : NULL;
        if (!image) {
            pr_err("vm%u: module %u at 0x%llx-0x%llx is not readable; skipped\n", id, i,
                   (unsigned long long)m->start, (unsigned long long)m->end);
            vmm_result = PLATFORM_EXIT_FAILURE;
            id++;
            continue;
        }
        run_guest(id++, backend, image, len, &specs[i], what);
    }
}
