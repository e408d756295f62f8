/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#define BOOST_TEST_MODULE bpf_calls
#include "bpf-test-util.h"

/**
 * \file
 * Helper calls (RFC 9669 §4.3.1), local calls with their own frames (§4.3.2),
 * the call-depth limit, and the instruction budget, in both engines.
 */

using namespace bpftest;

BOOST_AUTO_TEST_CASE(helper_arguments_result_and_preserved_registers)
{
    BOOST_CHECK_EQUAL(Eval("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\n"
                           "call add\nexit"),
                      15u);
    // r1..r5 keep their values across a helper call in both engines; r6..r9 too.
    BOOST_CHECK_EQUAL(Eval("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\n"
                           "mov %r6, 6\nmov %r7, 7\nmov %r8, 8\nmov %r9, 9\n"
                           "call 1\nmul %r0, 1000\nadd %r0, %r1\nadd %r0, %r2\nadd %r0, %r3\n"
                           "add %r0, %r4\nadd %r0, %r5\nadd %r0, %r6\nadd %r0, %r7\nadd %r0, %r8\n"
                           "add %r0, %r9\nexit"),
                      15045u);
}

BOOST_AUTO_TEST_CASE(helper_errors_abort_the_program)
{
    auto f = EvalFault("mov %r0, 1\ncall fail\nmov %r0, 2\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
    BOOST_CHECK_EQUAL(f.pc, 1u);
    BOOST_CHECK_MESSAGE(f.message.find("helper 'fail' failed: asked to fail") != std::string::npos,
                        f.message);
    f = EvalFault("call throw\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
    BOOST_CHECK_MESSAGE(f.message.find("helper exception") != std::string::npos, f.message);
    // Bad pointers given to a helper: caught by its Translate check.
    f = EvalFault("lddw %r1, 0x400000000\nmov %r2, 65537\ncall sum_bytes\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
    f = EvalFault("mov %r1, 0\nmov %r2, 1\ncall store\nexit");
    BOOST_CHECK(f.kind == ebpf::FaultKind::HelperError);
    BOOST_CHECK_EQUAL(f.pc, 2u);
}

BOOST_AUTO_TEST_CASE(unregistered_helpers_are_refused_at_load)
{
    BOOST_CHECK_MESSAGE(LoadError("call 99\nexit").find("unregistered helper 99") !=
                            std::string::npos,
                        LoadError("call 99\nexit"));
}

BOOST_AUTO_TEST_CASE(helper_context_services)
{
    auto helpers = std::make_shared<ebpf::HelperTable>();
    int hostValue = 0;
    helpers->Register(
        7,
        "lend",
        [&](ebpf::HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t) {
            static uint64_t shared = 0x55;
            hostValue = *static_cast<int*>(ctx.UserData());
            return ctx.Lend(&shared, sizeof shared, ebpf::Access::ReadOnly);
        });
    helpers->Register(
        8,
        "expensive",
        [](ebpf::HelperContext& ctx, uint64_t n, uint64_t, uint64_t, uint64_t, uint64_t)
            -> uint64_t {
            ctx.ChargeFuel(n);
            return 0;
        });
    helpers->Register(
        9,
        "string",
        [](ebpf::HelperContext& ctx, uint64_t p, uint64_t, uint64_t, uint64_t, uint64_t)
            -> uint64_t {
            std::string s;
            if (!ctx.ReadString(p, 16, s))
            {
                ctx.Fail("bad string");
                return 0;
            }
            return s.size();
        });
    auto program = Load("call lend\nldxdw %r0, [%r0+0]\nmov %r1, 100\ncall expensive\n"
                        "stdw [%r10-8], 0x616263\nmov %r1, %r10\nadd %r1, -8\ncall string\n"
                        "exit",
                        helpers);
    for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
    {
        ebpf::Vm vm(program);
        vm.SetEngine(engine);
        int user = 17;
        vm.SetUserData(&user);
        auto r = vm.Run("main");
        BOOST_REQUIRE_MESSAGE(r.ok, r.fault.message);
        BOOST_CHECK_EQUAL(r.value, 3u);
        BOOST_CHECK_EQUAL(hostValue, 17);
        BOOST_CHECK_EQUAL(r.fuelUsed, 9u + 100);
        r = vm.Run("main", {}, 50); // the helper's charge exhausts the budget
        BOOST_CHECK(!r.ok);
        BOOST_CHECK(r.fault.kind == ebpf::FaultKind::HelperError);
        BOOST_CHECK_MESSAGE(r.fault.message.find("budget") != std::string::npos, r.fault.message);
    }
}

BOOST_AUTO_TEST_CASE(local_calls_have_their_own_frames)
{
    // RFC 9669 §4.3.2: the callee gets a new frame (r10 512 bytes lower); r6..r9 are
    // restored when it exits; r0 carries the result.
    const uint64_t top = ebpf::region::Base(ebpf::region::kStack) + 8 * 512;
    BOOST_CHECK_EQUAL(Eval("mov %r6, 6\nstdw [%r10-8], 11\ncall_local f\n"
                           "ldxdw %r1, [%r10-8]\nadd %r0, %r1\nadd %r0, %r6\nexit\n"
                           "f: mov %r6, 1000\nstdw [%r10-8], 22\nmov %r0, %r10\nexit"),
                      top - 512 + 11 + 6);
    // A callee writes through a pointer into its caller's frame.
    BOOST_CHECK_EQUAL(Eval("mov %r1, %r10\nadd %r1, -16\ncall_local f\nldxdw %r0, [%r10-16]\n"
                           "exit\n"
                           "f: stdw [%r1+0], 99\nexit"),
                      99u);
    // Nested calls, and r1..r5 flow both ways (no saving).
    BOOST_CHECK_EQUAL(Eval("mov %r1, 5\ncall_local f\nadd %r0, %r1\nexit\n"
                           "f: call_local g\nadd %r0, 1\nexit\n"
                           "g: mov %r0, %r1\nmov %r1, 100\nexit"),
                      106u);
}

BOOST_AUTO_TEST_CASE(recursion_and_the_call_depth_limit)
{
    // factorial(r1), recursive: depth = n + 1 frames.
    const std::string fact = "call_local fact\nexit\n"
                             "fact: mov %r0, 1\njle %r1, 1, done\n"
                             "mov %r6, %r1\nsub %r1, 1\ncall_local fact\nmul %r0, %r6\n"
                             "done: exit";
    RunSpec spec;
    spec.argsGiven = true;
    spec.args = {6, 0, 0, 0, 0};
    auto program = Load(fact);
    BOOST_CHECK(!program->IsLoopFree()); // recursion counts as a loop
    auto r = RunBoth(program, spec);
    BOOST_REQUIRE(r.interpreter.ok);
    BOOST_CHECK_EQUAL(r.interpreter.value, 720u); // 7 frames
    spec.args = {7, 0, 0, 0, 0};                  // 8 frames: the limit
    r = RunBoth(program, spec);
    BOOST_REQUIRE(r.interpreter.ok);
    BOOST_CHECK_EQUAL(r.interpreter.value, 5040u);
    spec.args = {8, 0, 0, 0, 0}; // 9 frames
    r = RunBoth(program, spec);
    BOOST_REQUIRE(!r.interpreter.ok);
    BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::CallDepthExceeded);
    BOOST_CHECK_EQUAL(r.interpreter.fault.pc, 6u);
    // Endless recursion, with a larger limit too.
    spec.args = {0, 0, 0, 0, 0};
    spec.options.maxCallDepth = 64;
    r = RunBoth(Load("f: call_local f\nexit"), spec);
    BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::CallDepthExceeded);
    BOOST_CHECK_MESSAGE(r.interpreter.fault.message.find("64 frames") != std::string::npos,
                        r.interpreter.fault.message);
}

BOOST_AUTO_TEST_CASE(budget_is_charged_per_block_and_deterministic)
{
    // Straight-line code costs its instruction count (LDDW counts once).
    auto r = RunBoth(Load("mov %r0, 1\nlddw %r1, 5\nadd %r0, %r1\nexit"));
    BOOST_CHECK_EQUAL(r.interpreter.fuelUsed, 4u);
    // A loop of n iterations: 1 (entry block) + n * 3 (body block) + 1 (exit block).
    auto loop = Load("mov %r0, 0\nloop: add %r0, 1\njlt %r0, 10, loop\nexit");
    BOOST_CHECK(!loop->IsLoopFree());
    r = RunBoth(loop);
    BOOST_CHECK_EQUAL(r.interpreter.value, 10u);
    BOOST_CHECK_EQUAL(r.interpreter.fuelUsed, 1u + 10 * 2 + 1);
    // Exactly enough fuel succeeds; one less faults at the block that no longer fits.
    RunSpec spec;
    spec.fuel = 22;
    BOOST_CHECK(RunBoth(loop, spec).interpreter.ok);
    spec.fuel = 21;
    r = RunBoth(loop, spec);
    BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::BudgetExhausted);
    BOOST_CHECK_EQUAL(r.interpreter.fault.pc, 3u);
    BOOST_CHECK_EQUAL(r.interpreter.fuelUsed, 21u);
    spec.fuel = 20;
    r = RunBoth(loop, spec);
    BOOST_CHECK_EQUAL(r.interpreter.fault.pc, 1u);
    BOOST_CHECK_EQUAL(r.interpreter.fuelUsed, 19u);
    // Infinite loops end, in both engines at the same pc.
    for (const char* text : {"ja -1\nexit",
                             "mov %r0, 0\nl: add %r0, 1\nja l\nexit",
                             "l: jeq %r0, 0, l\nexit",
                             "l: gotol l\nexit"})
    {
        auto f = EvalFault(text);
        BOOST_CHECK(f.kind == ebpf::FaultKind::BudgetExhausted);
        BOOST_CHECK_MESSAGE(f.message.find("budget") != std::string::npos, f.message);
    }
    // Zero fuel: not even the first block.
    spec.fuel = 0;
    r = RunBoth(Load("exit"), spec);
    BOOST_CHECK(r.interpreter.fault.kind == ebpf::FaultKind::BudgetExhausted);
    BOOST_CHECK_EQUAL(r.interpreter.fault.pc, 0u);
}

BOOST_AUTO_TEST_CASE(entry_points_by_name)
{
    auto program = Load("mov %r0, 1\nexit\nmov %r0, 2\nexit");
    ebpf::Vm vm(program);
    BOOST_CHECK_EQUAL(vm.Run("main").value, 1u);
    auto r = vm.Run("nope");
    BOOST_CHECK(!r.ok);
    BOOST_CHECK(r.fault.kind == ebpf::FaultKind::NoSuchFunction);
    // Unreached functions still get a name (fn_<pc>) once something calls them.
    auto two = Load("call_local f\nexit\nf: mov %r0, 2\nexit");
    BOOST_REQUIRE_EQUAL(two->Functions().size(), 2u);
    BOOST_CHECK_EQUAL(two->Functions()[1].name, "fn_2");
    ebpf::Vm vm2(two);
    BOOST_CHECK_EQUAL(vm2.Run("fn_2").value, 2u);
    // A Function that is not an entry of this program is refused.
    ebpf::Function bogus = two->Functions()[1];
    bogus.start = 3;
    r = vm2.Run(bogus);
    BOOST_CHECK(r.fault.kind == ebpf::FaultKind::NoSuchFunction);
}

BOOST_AUTO_TEST_CASE(engine_selection)
{
    auto program = Load("mov %r0, 3\nexit");
    ebpf::VmOptions options;
    options.engine = ebpf::Engine::Interpreter;
    ebpf::Vm vm(program, options);
    BOOST_CHECK(vm.GetEngine() == ebpf::Engine::Interpreter);
    vm.SetEngine(ebpf::Engine::Jit);
    BOOST_CHECK(vm.GetEngine() ==
                (ebpf::Vm::JitSupported() ? ebpf::Engine::Jit : ebpf::Engine::Interpreter));
    BOOST_CHECK_EQUAL(vm.Run("main").value, 3u);
}

BOOST_AUTO_TEST_CASE(helpers_cannot_rerun_their_own_instance)
{
    auto helpers = std::make_shared<ebpf::HelperTable>();
    ebpf::FaultKind inner = ebpf::FaultKind::None;
    helpers->Register(
        1,
        "again",
        [&](ebpf::HelperContext& ctx, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t) {
            inner = ctx.GetVm().Run("main").fault.kind;
            return uint64_t{5};
        });
    auto program = Load("call again\nexit", helpers);
    for (ebpf::Engine engine : {ebpf::Engine::Interpreter, ebpf::Engine::Jit})
    {
        ebpf::Vm vm(program);
        vm.SetEngine(engine);
        auto r = vm.Run("main");
        BOOST_CHECK(r.ok);
        BOOST_CHECK_EQUAL(r.value, 5u);
        BOOST_CHECK(inner == ebpf::FaultKind::Reentrant);
    }
}
