using Sharptime.Vm.Unwind;

namespace Sharptime.Tests.Vm.Unwind;

/// <summary>Unwind descriptions shaped like today's compiled code, at made-up text offsets.</summary>
internal static class UnwindTestImages
{
    /// <summary>A wasm function at 0x00 (0x40 bytes, pop rbp ends at 0x30, trap stubs after the ret at 0x31).</summary>
    public static readonly FunctionUnwind WasmFunction = FunctionUnwind.RbpFrame(0x00, 0x40, popEnd: 0x30);

    /// <summary>A second function at 0x40 (0x20 bytes, no epilogue recorded).</summary>
    public static readonly FunctionUnwind Leaf = FunctionUnwind.RbpFrame(0x40, 0x20);

    /// <summary>An entry trampoline at 0x60 (0x60 bytes) saving rbx and r12–r15; pop rbp ends at 0xBF.</summary>
    public static readonly FunctionUnwind Entry = FunctionUnwind.RbpFrame(0x60, 0x60, popEnd: 0x5F,
        (5, UnwindRegister.Rbx), (7, UnwindRegister.R12), (9, UnwindRegister.R13), (11, UnwindRegister.R14), (13, UnwindRegister.R15));

    public const int TextLength = 0xC0;

    public static FunctionUnwind[] All => [WasmFunction, Leaf, Entry];

    public static int EhFrameOffset => EhFrameWriter.PlacementAfter(TextLength);

    public static byte[] EhFrame() => EhFrameWriter.Write(All, EhFrameOffset);

    /// <summary>Parses <see cref="EhFrame"/> as if the text were mapped at <paramref name="text"/>.</summary>
    public static UnwindTable Table(nuint text, byte[]? ehFrame = null) =>
        UnwindTable.Parse(ehFrame ?? EhFrame(), text + (nuint)EhFrameOffset, text, TextLength);
}
