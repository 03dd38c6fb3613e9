using Iced.Intel;
using Sharptime.Compiler.X64;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;

namespace Sharptime.Tests.Compiler;

/// <summary>
/// The emitter's bytes, decoded by Iced, must be the instruction that was asked for. Sweeps over every register and
/// addressing shape compare against Iced's own formatting of the same instruction built from its operand model.
/// </summary>
public class X64EmitterTests
{
    private static readonly Register[] Gpr64 =
    [
        Register.RAX, Register.RCX, Register.RDX, Register.RBX, Register.RSP, Register.RBP, Register.RSI, Register.RDI,
        Register.R8, Register.R9, Register.R10, Register.R11, Register.R12, Register.R13, Register.R14, Register.R15,
    ];

    private static string Disassemble(byte[] code)
    {
        var decoder = Decoder.Create(64, new ByteArrayCodeReader(code));
        var formatter = new NasmFormatter();
        var output = new StringOutput();
        var lines = new List<string>();
        while (decoder.IP < (ulong)code.Length)
        {
            decoder.Decode(out var instruction);
            if (instruction.IsInvalid) throw new Xunit.Sdk.XunitException($"invalid encoding at {decoder.IP}: {Convert.ToHexString(code)}");
            formatter.Format(instruction, output);
            lines.Add(output.ToStringAndReset());
        }
        return string.Join("; ", lines);
    }

    private static string Emit(Action<X64Emitter> emit)
    {
        var e = new X64Emitter();
        emit(e);
        return Disassemble(e.Finish());
    }

    private static string Format(Instruction instruction)
    {
        var output = new StringOutput();
        new NasmFormatter().Format(instruction, output);
        return output.ToString();
    }

    // Keyed by the expected disassembly; the key is the theory's data (the emitter type is internal).
    private static readonly Dictionary<string, Action<X64Emitter>> FormTable = new()
    {
        { "add eax,ecx", e => e.add(eax, ecx) },
        { "add r9,r10", e => e.add(r9, r10) },
        { "add eax,5", e => e.add(eax, 5) },
        { "add r11,1000h", e => e.add(r11, 0x1000) },
        { "sub rsp,7FFF0000h", e => e.sub(rsp, 0x7FFF_0000) },
        { "and eax,[rbp-8]", e => e.and(eax, dword_ptr[rbp - 8]) },
        { "or [rsp+10h],r8", e => e.or(qword_ptr[rsp + 16], r8) },
        { "xor r12d,r12d", e => e.xor(r12d, r12d) },
        { "cmp dword [r15+8],0FFFFFFFFh", e => e.cmp(dword_ptr[r15 + 8], -1) },
        { "cmp qword [rbx],12345678h", e => e.cmp(qword_ptr[rbx], 0x12345678) },
        { "and al,cl", e => e.and(al, cl) },
        { "or sil,r11b", e => e.or(sil, r11b) },
        { "test eax,eax", e => e.test(eax, eax) },
        { "test r10,r10", e => e.test(r10, r10) },
        { "test dil,dil", e => e.test(dil, dil) },
        { "test ecx,80000000h", e => e.test(ecx, unchecked((int)0x80000000)) },
        { "mov eax,[rbp-18h]", e => e.mov(eax, dword_ptr[rbp - 24]) },
        { "mov rax,[r13+rcx+10h]", e => e.mov(rax, qword_ptr[r13 + rcx + 16]) },
        { "mov [r12+r9*8-80h],r14", e => e.mov(qword_ptr[r12 + r9 * 8 - 128], r14) },
        { "mov [rax],bpl", e => e.mov(byte_ptr[rax], bpl) },
        { "mov [rdx+2],r10w", e => e.mov(word_ptr[rdx + 2], r10w) },
        { "mov r8d,7", e => e.mov(r8d, 7) },
        { "mov eax,0FFFFFFFFh", e => e.mov(rax, 0xFFFF_FFFFL) },
        { "mov rax,0FFFFFFFFFFFFFFFFh", e => e.mov(rax, -1L) },
        { "mov r15,123456789ABCDEFh", e => e.mov(r15, 0x0123_4567_89AB_CDEFL) },
        { "mov byte [rcx],80h", e => e.mov(byte_ptr[rcx], 0x80) },
        { "mov word [rcx],1234h", e => e.mov(word_ptr[rcx], 0x1234) },
        { "mov dword [rsp+8],0FFFFFFFEh", e => e.mov(dword_ptr[rsp + 8], -2) },
        { "mov qword [rsp+8],0", e => e.mov(qword_ptr[rsp + 8], 0) },
        { "movzx eax,sil", e => e.movzx(eax, sil) },
        { "movzx r9d,r10w", e => e.movzx(r9d, r10w) },
        { "movzx ecx,byte [r13+rax]", e => e.movzx(ecx, byte_ptr[r13 + rax]) },
        { "movzx ecx,word [r13+rax]", e => e.movzx(ecx, word_ptr[r13 + rax]) },
        { "movsx rax,byte [rdx]", e => e.movsx(rax, byte_ptr[rdx]) },
        { "movsx r8,r9w", e => e.movsx(r8, r9w) },
        { "movsx edx,bl", e => e.movsx(edx, bl) },
        { "movsxd rax,ecx", e => e.movsxd(rax, ecx) },
        { "movsxd r11,[r11+rax*4]", e => e.movsxd(r11, dword_ptr[r11 + rax * 4]) },
        { "lea rdi,[rbp-100h]", e => e.lea(rdi, mem[rbp - 256]) },
        { "lea eax,[rcx+rdx*2]", e => e.lea(eax, mem[rcx + rdx * 2]) },
        { "push rbp", e => e.push(rbp) },
        { "push r15", e => e.push(r15) },
        { "pop r12", e => e.pop(r12) },
        { "shl eax,1", e => e.shl(eax, 1) },
        { "shr r9,3Fh", e => e.shr(r9, 63) },
        { "sar edx,cl", e => e.sar(edx, cl) },
        { "rol r10,cl", e => e.rol(r10, cl) },
        { "ror eax,7", e => e.ror(eax, 7) },
        { "imul eax,r8d", e => e.imul(eax, r8d) },
        { "imul rcx,rdx,64h", e => e.imul(rcx, rdx, 100) },
        { "imul rcx,rdx,186A0h", e => e.imul(rcx, rdx, 100_000) },
        { "div ecx", e => e.div(ecx) },
        { "idiv r11", e => e.idiv(r11) },
        { "neg rax", e => e.neg(rax) },
        { "not r9d", e => e.not(r9d) },
        { "cdq", e => e.cdq() },
        { "cqo", e => e.cqo() },
        { "rep stosq", e => e.rep_stosq() },
        { "lzcnt eax,ecx", e => e.lzcnt(eax, ecx) },
        { "tzcnt r8,r9", e => e.tzcnt(r8, r9) },
        { "popcnt rax,r15", e => e.popcnt(rax, r15) },
        { "bts r11,3Fh", e => e.bts(r11, 63) },
        { "bts eax,1Fh", e => e.bts(eax, 31) },
        { "sete r11b", e => e.setcc(ConditionCode.e, r11b) },
        { "setnp sil", e => e.setcc(ConditionCode.np, sil) },
        { "setg al", e => e.setcc(ConditionCode.g, al) },
        { "cmovb r9,r10", e => e.cmovcc(ConditionCode.b, r9, r10) },
        { "cmovle eax,edx", e => e.cmovcc(ConditionCode.le, eax, edx) },
        { "call rax", e => e.call(rax) },
        { "call qword [r14+18h]", e => e.call(qword_ptr[r14 + 0x18]) },
        { "jmp r11", e => e.jmp(r11) },
        { "jmp qword [rsp+18h]", e => e.jmp(qword_ptr[rsp + 0x18]) },
        { "ret", e => e.ret() },
        { "addss xmm0,xmm1", e => e.addss(xmm0, xmm1) },
        { "addsd xmm8,[rbp-10h]", e => e.addsd(xmm8, qword_ptr[rbp - 16]) },
        { "subss xmm2,xmm15", e => e.subss(xmm2, xmm15) },
        { "mulsd xmm9,xmm10", e => e.mulsd(xmm9, xmm10) },
        { "divss xmm3,xmm4", e => e.divss(xmm3, xmm4) },
        { "minsd xmm0,xmm1", e => e.minsd(xmm0, xmm1) },
        { "maxss xmm14,xmm13", e => e.maxss(xmm14, xmm13) },
        { "sqrtsd xmm1,xmm1", e => e.sqrtsd(xmm1, xmm1) },
        { "ucomiss xmm1,xmm2", e => e.ucomiss(xmm1, xmm2) },
        { "ucomisd xmm12,xmm0", e => e.ucomisd(xmm12, xmm0) },
        { "xorps xmm15,xmm15", e => e.xorps(xmm15, xmm15) },
        { "andps xmm1,xmm15", e => e.andps(xmm1, xmm15) },
        { "andnps xmm1,xmm2", e => e.andnps(xmm1, xmm2) },
        { "orps xmm11,xmm3", e => e.orps(xmm11, xmm3) },
        { "cvtss2sd xmm1,xmm2", e => e.cvtss2sd(xmm1, xmm2) },
        { "cvtsd2ss xmm1,xmm9", e => e.cvtsd2ss(xmm1, xmm9) },
        { "movaps xmm7,xmm14", e => e.movaps(xmm7, xmm14) },
        { "movss xmm1,[rax+4]", e => e.movss(xmm1, dword_ptr[rax + 4]) },
        { "movss [r13+rcx],xmm9", e => e.movss(dword_ptr[r13 + rcx], xmm9) },
        { "movsd xmm2,xmm3", e => e.movsd(xmm2, xmm3) },
        { "movsd [rsp],xmm12", e => e.movsd(qword_ptr[rsp], xmm12) },
        { "movd xmm1,r10d", e => e.movd(xmm1, r10d) },
        { "movd eax,xmm9", e => e.movd(eax, xmm9) },
        { "movq xmm15,rax", e => e.movq(xmm15, rax) },
        { "movq r11,xmm2", e => e.movq(r11, xmm2) },
        { "cvttss2si eax,xmm1", e => e.cvttss2si(eax, xmm1) },
        { "cvttsd2si r9,xmm10", e => e.cvttsd2si(r9, xmm10) },
        { "cvtsi2ss xmm0,rcx", e => e.cvtsi2ss(xmm0, rcx) },
        { "cvtsi2sd xmm11,r8d", e => e.cvtsi2sd(xmm11, r8d) },
        { "roundss xmm1,xmm2,9", e => e.roundss(xmm1, xmm2, 9) },
        { "roundsd xmm8,xmm15,0Bh", e => e.roundsd(xmm8, xmm15, 11) },
    };

    public static TheoryData<string> Forms() => new(FormTable.Keys);

    [Theory]
    [MemberData(nameof(Forms))]
    public void EncodesTheRequestedInstruction(string expected) => Assert.Equal(expected, Emit(FormTable[expected]));

    [Fact]
    public void EncodesEveryBaseIndexScaleAndDisplacementShape()
    {
        int[] displacements = [0, 8, -128, 127, -129, 0x12345];
        int[] scales = [1, 2, 4, 8];
        foreach (var b in Gpr64)
        foreach (var index in Gpr64.Prepend(Register.None))
        {
            if (index == Register.RSP) continue;
            foreach (int scale in index == Register.None ? [1] : scales)
            foreach (int disp in displacements)
            {
                var operand = new Mem(X64Emitter.Number(b), index == Register.None ? -1 : X64Emitter.Number(index), scale, disp, OperandSize.Qword);
                var expected = Format(Instruction.Create(Code.Mov_r64_rm64, Register.R9, new MemoryOperand(b, index, scale, disp, 8)));
                Assert.Equal(expected, Emit(e => e.mov(r9, operand)));
            }
        }
    }

    [Fact]
    public void EncodesEveryRegisterPairInRegisterForms()
    {
        for (int d = 0; d < 16; d++)
        for (int s = 0; s < 16; s++)
        {
            var dst = Gpr64[d];
            var src = Gpr64[s];
            Assert.Equal(Format(Instruction.Create(Code.Add_rm64_r64, dst, src)), Emit(e => e.add(new AssemblerRegister64(dst), new AssemblerRegister64(src))));
            Assert.Equal(
                Format(Instruction.Create(Code.Movsd_xmm_xmmm64, Register.XMM0 + d, Register.XMM0 + s)),
                Emit(e => e.movsd(new AssemblerRegisterXMM(Register.XMM0 + d), new AssemblerRegisterXMM(Register.XMM0 + s))));
            Assert.Equal(
                Format(Instruction.Create(Code.Movzx_r32_rm8, Register.EAX + d, ByteRegister(s))),
                Emit(e => e.movzx(new AssemblerRegister32(Register.EAX + d), new AssemblerRegister8(ByteRegister(s)))));
        }
    }

    private static Register ByteRegister(int n) => n < 4 ? Register.AL + n : Register.SPL + (n - 4);

    [Fact]
    public void BackwardBranchesInReachUseTheShortForm()
    {
        var e = new X64Emitter();
        var top = e.CreateLabel();
        e.Bind(top);
        e.ret();
        e.jne(top);
        e.jmp(top);
        var code = e.Finish();
        Assert.Equal("ret; jne short 0; jmp short 0", Disassemble(code));
        Assert.Equal(5, code.Length);
    }

    [Fact]
    public void ForwardBranchesAndCallsArePatchedWhenFinished()
    {
        var e = new X64Emitter();
        var target = e.CreateLabel();
        e.je(target);
        e.jmp(target);
        e.call(target);
        e.Bind(target);
        e.ret();
        Assert.Equal("je near 0000000000000010h; jmp 0000000000000010h; call 0000000000000010h; ret", Disassemble(e.Finish()));
    }

    [Fact]
    public void RipRelativeLeaAndJumpTableEntriesPointAtTheirLabels()
    {
        var e = new X64Emitter();
        var table = e.CreateLabel();
        var a = e.CreateLabel();
        var b = e.CreateLabel();
        e.lea(r11, table);       // 7 bytes
        e.Bind(table);
        e.TableEntry(b, table);  // 4 bytes
        e.TableEntry(a, table);
        e.Bind(a);
        e.ret();
        e.Bind(b);
        e.ret();
        var code = e.Finish();
        Assert.Equal(0, BitConverter.ToInt32(code, 3));   // lea's rip-relative displacement: the table follows directly
        Assert.Equal(9, BitConverter.ToInt32(code, 7));   // b is 9 bytes past the table start
        Assert.Equal(8, BitConverter.ToInt32(code, 11));  // a is 8 bytes past it
    }

    [Fact]
    public void AlignPadsWithInt3()
    {
        var e = new X64Emitter();
        e.ret();
        e.Align(16);
        var code = e.Finish();
        Assert.Equal(16, code.Length);
        Assert.All(code[1..], b => Assert.Equal(0xCC, b));
    }

    [Fact]
    public void UnboundLabelIsReportedWhenFinishing()
    {
        var e = new X64Emitter();
        e.jmp(e.CreateLabel());
        Assert.Throws<InvalidOperationException>(() => e.Finish());
    }

    [Fact]
    public void RspCannotBeAnIndex()
    {
        var e = new X64Emitter();
        Assert.Throws<InvalidOperationException>(() => e.mov(rax, qword_ptr[rax + rsp * 2]));
    }
}
