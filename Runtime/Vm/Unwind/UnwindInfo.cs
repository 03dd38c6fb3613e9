namespace Sharptime.Vm.Unwind;

/// <summary>x86-64 registers by their DWARF numbers (System V psABI, figure 3.36), as unwind codes name them.</summary>
internal enum UnwindRegister : byte
{
    Rax = 0, Rdx = 1, Rcx = 2, Rbx = 3, Rsi = 4, Rdi = 5, Rbp = 6, Rsp = 7,
    R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15,
    /// <summary>The return-address column (the caller's rip).</summary>
    ReturnAddress = 16,
}

/// <summary>
/// One change of a frame's unwind state. Every operation takes effect at <see cref="UnwindCode.Offset"/>, the code
/// offset (from the function start) of the first byte <em>after</em> the instruction that makes the change.
/// On entry (offset 0) the state is: CFA = rsp + 8, return address at CFA − 8, every other register unchanged.
/// </summary>
internal enum UnwindOperation : byte
{
    /// <summary><c>push rbp</c> ended: the CFA offset grows by 8 and the caller's rbp is saved at that new CFA offset.</summary>
    PushFrameRegister,
    /// <summary><c>mov rbp, rsp</c> ended: the CFA is now rbp + (current offset), valid however rsp moves afterwards.</summary>
    SetFrameRegister,
    /// <summary>
    /// The caller's value of <see cref="UnwindCode.Register"/> was just stored at CFA − <see cref="UnwindCode.Value"/>
    /// (a positive multiple of 8). A <c>push</c> while the CFA is still rsp-based also needs <see cref="AllocateStack"/>.
    /// </summary>
    SaveRegister,
    /// <summary>rsp moved down by <see cref="UnwindCode.Value"/> bytes while the CFA is rsp-based (a push or <c>sub rsp</c> before <see cref="SetFrameRegister"/>).</summary>
    AllocateStack,
    /// <summary>
    /// The epilogue's <c>pop rbp</c> ended: CFA = rsp + 8, rbp holds the caller's value again. The body's state is
    /// remembered so that <see cref="RestoreBodyState"/> can bring it back for code placed after the <c>ret</c>.
    /// </summary>
    PopFrameRegister,
    /// <summary>First byte after the epilogue's <c>ret</c>: out-of-line code (trap stubs) runs in the body's frame again.</summary>
    RestoreBodyState,
}

/// <summary>One unwind state change at a code offset; see <see cref="UnwindOperation"/> for what each carries.</summary>
/// <param name="Offset">Code offset from the function start of the first byte after the instruction.</param>
/// <param name="Operation">What changed.</param>
/// <param name="Register">For <see cref="UnwindOperation.SaveRegister"/>: which register was saved.</param>
/// <param name="Value">For <see cref="UnwindOperation.SaveRegister"/>: its CFA offset; for <see cref="UnwindOperation.AllocateStack"/>: bytes.</param>
internal readonly record struct UnwindCode(int Offset, UnwindOperation Operation, UnwindRegister Register = UnwindRegister.Rbp, int Value = 0)
{
    /// <summary>After <c>push rbp</c> (1 byte at <paramref name="offset"/> − 1).</summary>
    public static UnwindCode PushFrameRegister(int offset) => new(offset, UnwindOperation.PushFrameRegister);

    /// <summary>After <c>mov rbp, rsp</c>.</summary>
    public static UnwindCode SetFrameRegister(int offset) => new(offset, UnwindOperation.SetFrameRegister);

    /// <summary>After <paramref name="register"/> was saved at CFA − <paramref name="cfaOffset"/>.</summary>
    public static UnwindCode SaveRegister(int offset, UnwindRegister register, int cfaOffset) => new(offset, UnwindOperation.SaveRegister, register, cfaOffset);

    /// <summary>After rsp moved down by <paramref name="bytes"/> while the CFA is rsp-based.</summary>
    public static UnwindCode AllocateStack(int offset, int bytes) => new(offset, UnwindOperation.AllocateStack, Value: bytes);

    /// <summary>After the epilogue's <c>pop rbp</c>.</summary>
    public static UnwindCode PopFrameRegister(int offset) => new(offset, UnwindOperation.PopFrameRegister);

    /// <summary>At the first byte after the epilogue's <c>ret</c>.</summary>
    public static UnwindCode RestoreBodyState(int offset) => new(offset, UnwindOperation.RestoreBodyState);
}

/// <summary>
/// The unwind description of one function (or trampoline) in a text section, which the compiler fills and
/// <see cref="EhFrameWriter"/> turns into one FDE.
/// </summary>
/// <remarks>
/// A standard wasm frame — <c>push rbp; mov rbp, rsp; …; mov rsp, rbp; pop rbp; ret; trap stubs</c> — is
/// <c>[PushFrameRegister(1), SetFrameRegister(4), PopFrameRegister(popEnd), RestoreBodyState(retEnd)]</c>, the last
/// two omitted when nothing follows the <c>ret</c> (or the function has no epilogue). Callee-saved registers pushed after
/// <c>mov rbp, rsp</c> add <c>SaveRegister(afterPush, reg, 24 + 8·k)</c> for the k-th push (k from 0). Codes are sorted by offset;
/// several codes may share one offset, and apply in list order.
/// </remarks>
/// <param name="Start">Offset of the first byte in the text section.</param>
/// <param name="Length">Length in bytes (more than zero).</param>
/// <param name="Codes">State changes sorted by offset, each offset in [0, <paramref name="Length"/>].</param>
internal sealed record FunctionUnwind(int Start, int Length, UnwindCode[] Codes)
{
    /// <summary>
    /// The standard rbp frame: <c>push rbp</c> at 0, <c>mov rbp, rsp</c> at 1, then <paramref name="saved"/> pushed in
    /// order, and optionally an epilogue whose <c>pop rbp</c> ends at <paramref name="popEnd"/> and <c>ret</c> at
    /// <paramref name="popEnd"/> + 1 (give −1 when unknown or absent).
    /// </summary>
    public static FunctionUnwind RbpFrame(int start, int length, int popEnd = -1, params ReadOnlySpan<(int pushEnd, UnwindRegister register)> saved)
    {
        var codes = new List<UnwindCode>(4 + saved.Length) { UnwindCode.PushFrameRegister(1), UnwindCode.SetFrameRegister(4) };
        for (int i = 0; i < saved.Length; i++) codes.Add(UnwindCode.SaveRegister(saved[i].pushEnd, saved[i].register, 24 + 8 * i));
        if (popEnd > 0)
        {
            codes.Add(UnwindCode.PopFrameRegister(popEnd));
            if (popEnd + 1 < length) codes.Add(UnwindCode.RestoreBodyState(popEnd + 1));
        }
        return new FunctionUnwind(start, length, [.. codes]);
    }
}
