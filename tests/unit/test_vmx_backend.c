// SPDX-License-Identifier: GPL-2.0-only
/* VMX back end, pure parts: control computation, CR fixed bits, exit decoding, names. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/errno.h"
#include "vmm/vmx_controls.h"
#include "vmm/vmx_exit.h"
#include "vmm/vmx_names.h"
#include "vmm/vmx_vmcs.h"

#define CR0_PE (1ULL << 0)
#define CR0_NE (1ULL << 5)
#define CR0_CD (1ULL << 30)
#define CR0_PG (1ULL << 31)

/* Capability MSRs read in Bochs 2.7, cpu model corei7_skylake_x (Nestor's debug log). */
static struct vmx_msr_values skylake(void)
{
    return (struct vmx_msr_values){
        .basic = 0x00d810000000002bULL,
        .pin = 0x0000007f00000016ULL, .true_pin = 0x0000007f00000016ULL,
        .proc = 0xf7f9fffe0401e172ULL, .true_proc = 0xf7f9fffe04006172ULL,
        .exit = 0x007fffff00036dffULL, .true_exit = 0x007fffff00036dfbULL,
        .entry = 0x0000ffff000011ffULL, .true_entry = 0x0000ffff000011fbULL,
        .proc2 = 0x02177fffULL << 32, .has_proc2 = true,
        .ept_vpid = 0x00000f0106334141ULL,
        .cr0_fixed0 = 0x80000021, .cr0_fixed1 = 0xffffffff,
        .cr4_fixed0 = 0x2000, .cr4_fixed1 = 0x3727ff,
    };
}

static void test_controls_skylake(void **state)
{
    struct vmx_msr_values m = skylake();
    struct vmx_controls c;
    char why[96] = "";

    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), 0);
    assert_int_equal(c.pin & (VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING), VMX_PIN_EXT_INT_EXITING | VMX_PIN_NMI_EXITING);
    assert_true(c.proc & VMX_PROC_HLT_EXITING);
    assert_true(c.proc & VMX_PROC_USE_IO_BITMAPS);
    assert_true(c.proc & VMX_PROC_USE_MSR_BITMAPS);
    assert_true(c.proc & VMX_PROC_SECONDARY);
    assert_true(c.proc & VMX_PROC_RDPMC_EXITING);
    assert_false(c.proc & VMX_PROC_INTR_WINDOW);
    /* True controls: CR3 exits are not forced on. */
    assert_false(c.proc & (VMX_PROC_CR3_LOAD_EXITING | VMX_PROC_CR3_STORE_EXITING));
    assert_int_equal(c.proc2, VMX_PROC2_EPT | VMX_PROC2_UNRESTRICTED | VMX_PROC2_VPID | VMX_PROC2_WBINVD_EXITING);
    assert_true(c.exit & VMX_EXIT_CTL_HOST_64BIT);
    assert_true(c.exit & VMX_EXIT_CTL_LOAD_EFER);
    assert_true(c.exit & VMX_EXIT_CTL_SAVE_EFER);
    assert_true(c.exit & VMX_EXIT_CTL_LOAD_PAT);
    assert_false(c.exit & VMX_EXIT_CTL_ACK_INTR);
    assert_true(c.entry & VMX_ENTRY_CTL_LOAD_EFER);
    assert_false(c.entry & VMX_ENTRY_CTL_IA32E_GUEST);
    assert_true(c.vpid && c.invvpid_single && c.invept_single && c.ept_2m && c.wbinvd_exiting);
    /* The values Nestor printed in Bochs ("vmx: controls ..."). */
    assert_int_equal(c.pin, 0x1f);
    assert_int_equal(c.proc, 0xb6006dfa);
    assert_int_equal(c.proc2, 0xe2);
    assert_int_equal(c.exit, 0x3f6ffb);
    assert_int_equal(c.entry, 0xd1fb);
}

static void test_controls_without_true_msrs(void **state)
{
    struct vmx_msr_values m = skylake();
    struct vmx_controls c;
    char why[96];

    m.basic &= ~VMX_BASIC_TRUE_CTLS;
    m.true_proc = 0; /* must not be read */
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), 0);
    /* The default-1 controls stay on. */
    assert_true(c.proc & VMX_PROC_CR3_LOAD_EXITING);
    assert_true(c.proc & VMX_PROC_CR3_STORE_EXITING);
}

static void test_controls_refusals(void **state)
{
    struct vmx_msr_values m = skylake();
    struct vmx_controls c;
    char why[96];

    m.proc2 &= ~((uint64_t)VMX_PROC2_UNRESTRICTED << 32);
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), -ENOTSUP);
    assert_non_null(strstr(why, "secondary controls"));
    assert_non_null(strstr(why, "0x00000080"));

    m = skylake();
    m.has_proc2 = false;
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), -ENOTSUP);

    m = skylake();
    m.true_entry &= ~((uint64_t)VMX_ENTRY_CTL_LOAD_EFER << 32);
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), -ENOTSUP);
    assert_non_null(strstr(why, "VM-entry"));

    m = skylake();
    m.ept_vpid &= ~EPT_CAP_MEMTYPE_WB;
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), -ENOTSUP);
    assert_string_equal(why, "EPT: no write-back tables");

    m = skylake();
    m.ept_vpid &= ~EPT_CAP_PWL4;
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), -ENOTSUP);
    assert_string_equal(why, "EPT: no 4-level walk");

    m = skylake();
    m.ept_vpid &= ~(EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL);
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), -ENOTSUP);
    assert_non_null(strstr(why, "INVEPT"));
}

static void test_controls_optional_features(void **state)
{
    struct vmx_msr_values m = skylake();
    struct vmx_controls c;
    char why[96];

    /* VPID offered but no INVVPID: not used. */
    m.ept_vpid &= ~VPID_CAP_INVVPID;
    m.ept_vpid &= ~(EPT_CAP_INVEPT_SINGLE | EPT_CAP_2M);
    m.proc2 &= ~((uint64_t)VMX_PROC2_WBINVD_EXITING << 32);
    assert_int_equal(vmx_controls_compute(&m, &c, why, sizeof(why)), 0);
    assert_false(c.vpid);
    assert_false(c.proc2 & VMX_PROC2_VPID);
    assert_false(c.invept_single);
    assert_false(c.ept_2m);
    assert_false(c.wbinvd_exiting);
}

static void test_cr_fixed(void **state)
{
    uint64_t f0 = 0x80000021, f1 = 0xffffffff;

    /* Host: PE, NE, PG required. */
    assert_true(vmx_cr_fixed_ok(0x80050033, f0, f1));
    assert_false(vmx_cr_fixed_ok(0x80050013, f0, f1));
    /* Unrestricted guest: PE and PG stay the guest's, NE is forced. */
    assert_int_equal(vmx_cr_fixed_apply(0x11, f0, f1, CR0_PE | CR0_PG), 0x31);
    assert_int_equal(vmx_cr_fixed_apply(0x10, f0, f1, CR0_PE | CR0_PG), 0x30);
    assert_int_equal(vmx_cr_owned_bits(f0, f1, CR0_PE | CR0_PG) & 0xffffffff, CR0_NE);
    /* CR4: VMXE forced, bits outside fixed1 owned by the host. */
    assert_int_equal(vmx_cr_fixed_apply(0x20, 0x2000, 0x3727ff, 0), 0x2020);
    assert_int_equal(vmx_cr_fixed_apply(0x800000, 0x2000, 0x3727ff, 0), 0x2000);
    assert_true(vmx_cr_owned_bits(0x2000, 0x3727ff, 0) & 0x2000);
    assert_true(vmx_cr_owned_bits(0x2000, 0x3727ff, 0) & 0x800000);
    assert_false(vmx_cr_owned_bits(0x2000, 0x3727ff, 0) & 0x20);
    /* CD can be forced off by a CPU: then it is owned too. */
    assert_true(vmx_cr_owned_bits(f0, f1 & ~CR0_CD, CR0_PE | CR0_PG) & CR0_CD);
}

static void test_decode_io(void **state)
{
    struct vmx_exit_info in = { .reason = VMX_EXIT_IO, .insn_len = 1, .guest_rip = 0x100010,
                                .qualification = (0x3F8ULL << 16) | 0 /* 1 byte, out */ };
    struct vcpu_exit e;

    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_IO);
    assert_int_equal(e.io.port, 0x3F8);
    assert_int_equal(e.io.size, 1);
    assert_false(e.io.in);
    assert_false(e.io.string);
    assert_int_equal(e.io.next_rip, 0x100011);
    assert_string_equal(e.hw_name, "I/O instruction");

    /* in 4 bytes from DX, 2-byte instruction (prefix) */
    in.qualification = (0xCFCULL << 16) | VMX_IO_QUAL_IN | 3 | (0 << 6);
    in.insn_len = 2;
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.io.port, 0xCFC);
    assert_int_equal(e.io.size, 4);
    assert_true(e.io.in);
    assert_int_equal(e.io.next_rip, 0x100012);
    assert_int_equal(e.insn_len, 2);

    /* rep outsw */
    in.qualification = (0x80ULL << 16) | VMX_IO_QUAL_STRING | VMX_IO_QUAL_REP | 1;
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.io.size, 2);
    assert_true(e.io.string && e.io.rep);
}

static void test_decode_instruction_exits(void **state)
{
    static const struct { uint32_t reason; enum vcpu_exit_reason generic; } cases[] = {
        { VMX_EXIT_CPUID, VCPU_EXIT_CPUID }, { VMX_EXIT_HLT, VCPU_EXIT_HLT },
        { VMX_EXIT_RDMSR, VCPU_EXIT_MSR_READ }, { VMX_EXIT_WRMSR, VCPU_EXIT_MSR_WRITE },
        { VMX_EXIT_VMCALL, VCPU_EXIT_UD_INSN }, { VMX_EXIT_VMXON, VCPU_EXIT_UD_INSN },
        { VMX_EXIT_VMLAUNCH, VCPU_EXIT_UD_INSN }, { VMX_EXIT_INVEPT, VCPU_EXIT_UD_INSN },
        { VMX_EXIT_GETSEC, VCPU_EXIT_UD_INSN }, { VMX_EXIT_MWAIT, VCPU_EXIT_UD_INSN },
        { VMX_EXIT_XSETBV, VCPU_EXIT_UD_INSN }, { VMX_EXIT_INVD, VCPU_EXIT_SKIP_INSN },
        { VMX_EXIT_WBINVD, VCPU_EXIT_SKIP_INSN }, { VMX_EXIT_RDPMC, VCPU_EXIT_GP_INSN },
    };
    struct vcpu_exit e;

    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct vmx_exit_info in = { .reason = cases[i].reason, .insn_len = 3 };

        vmx_decode_exit(&in, &e);
        assert_int_equal(e.reason, cases[i].generic);
        assert_int_equal(e.insn_len, 3);
        assert_int_equal(e.hw_code, cases[i].reason);
    }
    /* An absurd length is not trusted. */
    struct vmx_exit_info bad = { .reason = VMX_EXIT_CPUID, .insn_len = 16 };
    vmx_decode_exit(&bad, &e);
    assert_int_equal(e.insn_len, 0);
}

static void test_decode_events(void **state)
{
    struct vcpu_exit e;
    struct vmx_exit_info in = { .reason = VMX_EXIT_TRIPLE_FAULT, .insn_len = 5 };

    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_SHUTDOWN);
    assert_int_equal(e.insn_len, 0); /* not an instruction exit */
    assert_string_equal(e.hw_name, "triple fault");

    in = (struct vmx_exit_info){ .reason = VMX_EXIT_EXTERNAL_INTERRUPT };
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_INTR);

    in = (struct vmx_exit_info){ .reason = VMX_EXIT_INTERRUPT_WINDOW };
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_IRQ_WINDOW);

    /* #AC with error code 0 */
    in = (struct vmx_exit_info){ .reason = VMX_EXIT_EXCEPTION_NMI, .intr_error = 0,
                                 .intr_info = VMX_INTR_INFO_VALID | VMX_INTR_INFO_ERROR_VALID | (3u << 8) | 17 };
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_EXCEPTION);
    assert_int_equal(e.exception.vector, 17);
    assert_true(e.exception.has_error);

    /* #DB, no error code */
    in.intr_info = VMX_INTR_INFO_VALID | (3u << 8) | 1;
    in.intr_error = 0x55;
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.exception.vector, 1);
    assert_false(e.exception.has_error);
    assert_int_equal(e.exception.error, 0);

    /* NMI */
    in.intr_info = VMX_INTR_INFO_VALID | (2u << 8) | 2;
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_NMI);

    /* No valid event: unknown. */
    in.intr_info = 0;
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_UNKNOWN);

    in = (struct vmx_exit_info){ .reason = VMX_EXIT_INIT };
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_UNKNOWN);
    assert_string_equal(e.hw_name, "INIT signal");

    in = (struct vmx_exit_info){ .reason = VMX_EXIT_TASK_SWITCH };
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_UNKNOWN);
    assert_string_equal(e.hw_name, "task switch");

    assert_true(vmx_exception_has_error(14));
    assert_false(vmx_exception_has_error(6));
    assert_true(vmx_exception_has_error(8) && vmx_exception_has_error(17) && vmx_exception_has_error(21));
    assert_false(vmx_exception_has_error(30)); /* #SX: not on the VM-entry list */
}

static void test_decode_ept(void **state)
{
    struct vcpu_exit e;
    struct vmx_exit_info in = { .reason = VMX_EXIT_EPT_VIOLATION, .guest_phys = 0xfeb00010,
                                .qualification = VMX_EPT_QUAL_WRITE | VMX_EPT_QUAL_GLA_VALID | VMX_EPT_QUAL_GLA_FINAL,
                                .insn_len = 7 };

    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_NPF);
    assert_int_equal(e.npf.gpa, 0xfeb00010);
    assert_true(e.npf.write);
    assert_false(e.npf.fetch);
    assert_false(e.npf.present);
    assert_false(e.npf.in_guest_walk);
    assert_int_equal(e.insn_len, 0);

    /* fetch from a present read-only page, during the guest's page walk */
    in.qualification = VMX_EPT_QUAL_FETCH | (1u << 3) | VMX_EPT_QUAL_GLA_VALID;
    vmx_decode_exit(&in, &e);
    assert_true(e.npf.fetch && e.npf.present && e.npf.in_guest_walk);

    in = (struct vmx_exit_info){ .reason = VMX_EXIT_EPT_MISCONFIG, .guest_phys = 0x1000 };
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_NPF);
    assert_int_equal(e.npf.gpa, 0x1000);
    assert_string_equal(e.hw_name, "EPT misconfiguration");
}

static void test_decode_entry_failures(void **state)
{
    struct vcpu_exit e;
    struct vmx_exit_info in = { .reason = VMX_EXIT_REASON_ENTRY_FAIL | VMX_EXIT_ENTRY_FAIL_GUEST };

    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAILED);
    assert_int_equal(e.hw_code, 0x80000021);
    assert_string_equal(e.hw_name, "VM-entry failure: invalid guest state");
    in.reason = VMX_EXIT_REASON_ENTRY_FAIL | VMX_EXIT_ENTRY_FAIL_MSR;
    vmx_decode_exit(&in, &e);
    assert_int_equal(e.reason, VCPU_EXIT_ENTRY_FAILED);
    assert_string_equal(e.hw_name, "VM-entry failure: MSR loading");
}

static void test_names(void **state)
{
    assert_string_equal(vmx_exit_reason_name(VMX_EXIT_CPUID), "CPUID");
    assert_string_equal(vmx_exit_reason_name(VMX_EXIT_EPT_VIOLATION), "EPT violation");
    assert_string_equal(vmx_exit_reason_name(35), "unknown");
    assert_string_equal(vmx_exit_reason_name(1000), "unknown");
    assert_string_equal(vmx_insn_error_name(VMXERR_ENTRY_BAD_CONTROLS), "VM entry with invalid control field(s)");
    assert_string_equal(vmx_insn_error_name(VMXERR_ENTRY_BAD_HOST_STATE), "VM entry with invalid host-state field(s)");
    assert_string_equal(vmx_insn_error_name(VMXERR_VMPTRLD_BAD_REVISION),
                        "VMPTRLD with incorrect VMCS revision identifier");
    assert_string_equal(vmx_insn_error_name(0), "unknown");
    assert_string_equal(vmx_insn_error_name(14), "unknown");
    assert_string_equal(vmx_insn_error_name(29), "unknown");
    assert_string_equal(vmx_entry_failure_qual_name(VMX_ENTRY_FAIL_LINK_POINTER), "invalid VMCS link pointer");
    assert_string_equal(vmx_entry_failure_qual_name(1), "unknown");
    assert_string_equal(vmx_entry_failure_qual_name(~0ULL), "unknown");
    /* Every named reason up to the last one has a name or "unknown", never NULL. */
    for (uint32_t r = 0; r < 100; r++)
        assert_non_null(vmx_exit_reason_name(r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_controls_skylake),
        cmocka_unit_test(test_controls_without_true_msrs),
        cmocka_unit_test(test_controls_refusals),
        cmocka_unit_test(test_controls_optional_features),
        cmocka_unit_test(test_cr_fixed),
        cmocka_unit_test(test_decode_io),
        cmocka_unit_test(test_decode_instruction_exits),
        cmocka_unit_test(test_decode_events),
        cmocka_unit_test(test_decode_ept),
        cmocka_unit_test(test_decode_entry_failures),
        cmocka_unit_test(test_names),
    };
    return UNIT_RUN(tests);
}
