using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using Sharptime.Vm;
using Sharptime.Vm.Debugging;
using Sharptime.Vm.Unwind;
using static Iced.Intel.AssemblerRegisters;

namespace Sharptime.Tests.Vm.Unwind;

/// <summary>
/// Real frames to unwind: <c>A(depth, callback)</c> recurses <c>depth</c> times, then calls <c>B</c>, which hands
/// its own pc, rsp and rbp to a C# callback that walks the stack with the image's <see cref="UnwindTable"/> while
/// the frames are live. Both functions have the standard rbp frame.
/// </summary>
internal static unsafe class RecursiveImage
{
    public const int A = 0, B = 1;
    public static readonly int[] Frames = new int[256];
    public static int FrameCount;
    public static bool StoppedOutsideTheImage;
    private static UnwindTable? s_table;
    private static Action<nuint, nuint, nuint>? s_onCapture;

    public static CodeMemory Create()
    {
        var a = new Assembler(64);
        var labelA = a.CreateLabel();
        var labelB = a.CreateLabel();
        var toB = a.CreateLabel();
        var done = a.CreateLabel();
        var retA = a.CreateLabel();
        var here = a.CreateLabel();
        var retB = a.CreateLabel();
        a.Label(ref labelA);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.sub(edi, 1);
        a.jz(toB);
        a.call(labelA);
        a.jmp(done);
        a.Label(ref toB);
        a.call(labelB);
        a.Label(ref done);
        a.pop(rbp);
        a.Label(ref retA);
        a.ret();
        a.Label(ref labelB);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.mov(rax, rsi);
        a.Label(ref here);
        a.lea(rdi, __[here]);
        a.mov(rsi, rsp);
        a.mov(rdx, rbp);
        a.call(rax);
        a.pop(rbp);
        a.Label(ref retB);
        a.ret();
        var writer = new Writer();
        var result = a.Assemble(writer, 0, BlockEncoderOptions.ReturnNewInstructionOffsets);
        int startB = (int)result.GetLabelRIP(labelB);
        int popEndA = (int)result.GetLabelRIP(retA);
        int popEndB = (int)result.GetLabelRIP(retB) - startB;
        var code = writer.Bytes.ToArray();
        FunctionUnwind[] unwind = [FunctionUnwind.RbpFrame(0, startB, popEndA), FunctionUnwind.RbpFrame(startB, code.Length - startB, popEndB)];
        var memory = new CodeMemory(code, new CodeImageInfo
        {
            Name = "recursive",
            EhFrame = EhFrameWriter.Write(unwind, EhFrameWriter.PlacementAfter(code.Length)),
            Symbols = [new CodeSymbol("test!A", 0, startB), new CodeSymbol("test!B", startB, code.Length - startB)],
            Registrations = CodeRegistrations.None,
        });
        return memory;
    }

    /// <summary>Runs <c>A(depth)</c> and records in <see cref="Frames"/> the function of every frame the walk visits.</summary>
    public static void Walk(CodeMemory image, int depth)
    {
        s_table = image.UnwindTable!;
        s_onCapture = null;
        Run(image, depth);
    }

    /// <summary>Runs <c>A(depth)</c> and calls <paramref name="onCapture"/> with B's pc, sp and fp while the frames are live.</summary>
    public static void Capture(CodeMemory image, int depth, Action<nuint, nuint, nuint> onCapture)
    {
        s_table = image.UnwindTable!;
        s_onCapture = onCapture;
        Run(image, depth);
    }

    private static void Run(CodeMemory image, int depth)
    {
        var entry = (delegate* unmanaged<int, delegate* unmanaged<nuint, nuint, nuint, void>, void>)image.Address;
        entry(depth, &Callback);
    }

    [UnmanagedCallersOnly]
    private static void Callback(nuint pc, nuint sp, nuint fp)
    {
        if (s_onCapture is { } onCapture)
        {
            onCapture(pc, sp, fp);
            return;
        }
        var table = s_table!;
        FrameCount = 0;
        bool exact = true;
        while (table.TryFindFunction(exact ? pc : pc - 1, out int function))
        {
            Frames[FrameCount++] = table.FunctionStart(function) == table.FunctionStart(0) ? A : B;
            if (!table.TryStep(ref pc, ref sp, ref fp, exact)) break;
            exact = false;
        }
        StoppedOutsideTheImage = !table.TryFindFunction(pc - 1, out _);
    }

    private sealed class Writer : CodeWriter
    {
        public readonly List<byte> Bytes = [];
        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
