using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Sharptime.Vm.Unwind;

namespace Sharptime.Tests.Vm.Unwind;

public sealed unsafe class UnwindTableTests
{
    private const nuint Text = 0x10_0000;

    [Theory]
    [InlineData(0x00, "rsp", 8, 0)]     // at entry
    [InlineData(0x01, "rsp", 16, -16)]  // after push rbp
    [InlineData(0x04, "rbp", 16, -16)]  // after mov rbp, rsp
    [InlineData(0x2F, "rbp", 16, -16)]  // body
    [InlineData(0x30, "rsp", 8, 0)]     // after pop rbp: only the ret is left
    [InlineData(0x31, "rbp", 16, -16)]  // trap stubs after the ret run in the body's frame
    [InlineData(0x3F, "rbp", 16, -16)]
    public void RulesFollowTheFramesPrologueEpilogueAndTrapStubs(int offset, string cfaRegister, int cfaOffset, int rbpOffset)
    {
        var table = UnwindTestImages.Table(Text);
        Assert.True(table.TryGetRule(Text + (nuint)offset, out var register, out int cfa, out int rbp));
        Assert.Equal((cfaRegister, cfaOffset, rbpOffset), (register.ToString().ToLowerInvariant(), cfa, rbp));
    }

    [Fact]
    public void FunctionsAreFoundByAnyAddressInsideThem()
    {
        var table = UnwindTestImages.Table(Text);
        Assert.True(table.TryFindFunction(Text + 0x5F, out int leaf));
        Assert.Equal((Text + 0x40, 0x20), (table.FunctionStart(leaf), table.FunctionLength(leaf)));
        Assert.False(table.TryFindFunction(Text + UnwindTestImages.TextLength, out _));
        Assert.False(table.TryFindFunction(Text - 1, out _));
    }

    [Fact]
    public void AReturnAddressJustPastAFunctionIsUnwoundWithThatFunctionsRules()
    {
        // A trap stub's `call raise` may be the last instruction of its function: the return address is then the
        // next function's first byte, but the frame is still the trap stub's (CFA = rbp + 16).
        var table = UnwindTestImages.Table(Text);
        var stack = stackalloc nuint[4];
        stack[0] = 0x5555; // what a wrong rsp-based rule would read
        stack[2] = 0x1234; // saved rbp at [rbp]
        stack[3] = 0xBEEF; // return address at [rbp + 8]
        nuint pc = Text + 0x40, sp = (nuint)stack, fp = (nuint)(stack + 2);
        Assert.True(table.TryStep(ref pc, ref sp, ref fp));
        Assert.Equal(((nuint)0xBEEF, (nuint)(stack + 4), (nuint)0x1234), (pc, sp, fp));
    }

    [Fact]
    public void TryStepFailsWithoutChangesOutsideTheTable()
    {
        var table = UnwindTestImages.Table(Text);
        nuint pc = Text + 0x1000, sp = 0x8000, fp = 0x9000;
        Assert.False(table.TryStep(ref pc, ref sp, ref fp));
        Assert.Equal((Text + 0x1000, (nuint)0x8000, (nuint)0x9000), (pc, sp, fp));
    }

    [Fact]
    public void TryStepWalksRealNativeFramesBackToTheHost()
    {
        const int depth = 20;
        using var image = RecursiveImage.Create();
        RecursiveImage.Walk(image, depth);
        Assert.Equal(depth + 1, RecursiveImage.FrameCount);
        Assert.Equal(RecursiveImage.B, RecursiveImage.Frames[0]);
        for (int i = 1; i <= depth; i++) Assert.Equal(RecursiveImage.A, RecursiveImage.Frames[i]);
        Assert.True(RecursiveImage.StoppedOutsideTheImage);
    }

    public static TheoryData<string, byte[], string> MalformedSections()
    {
        var good = UnwindTestImages.EhFrame();
        int cieLength = 4 + BinaryPrimitives.ReadInt32LittleEndian(good);
        var cie = good[..cieLength];
        return new TheoryData<string, byte[], string>
        {
            { "truncated", good[..(cieLength + 10)], "runs past the end" },
            { "no room for a length", good[..2], "truncated entry length" },
            { "FDE past the text", Section(cie, Fde(cie.Length, pcBegin: 0x100, range: 0x10, [])), "outside the text" },
            { "expression rule", Section(cie, Fde(cie.Length, 0, 0x10, [Dwarf.CfaExpression, 6, 1, 0x30])), "not supported" },
            { "CFA on rbx", Section(cie, Fde(cie.Length, 0, 0x10, [Dwarf.CfaDefCfa, 3, 8])), "only rsp (7) and rbp (6)" },
            { "advance past the end", Section(cie, Fde(cie.Length, 0, 0x10, [Dwarf.CfaAdvanceLoc | 0x20])), "past the end of the function" },
            { "restore without remember", Section(cie, Fde(cie.Length, 0, 0x10, [Dwarf.CfaRestoreState])), "without DW_CFA_remember_state" },
            { "unknown opcode", Section(cie, Fde(cie.Length, 0, 0x10, [0x3F])), "unknown call-frame instruction" },
            { "CIE pointer to nowhere", Section(cie, Fde(cie.Length - 4, 0, 0x10, [])), "not a CIE" },
            { "overlapping FDEs", Section(cie, Fde(cie.Length, 0, 0x20, []), Fde(cie.Length + 24, 0x10, 0x20, [])), "overlap" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedSections))]
    public void MalformedSectionsAreRejectedWithTheReason(string what, byte[] section, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => UnwindTable.Parse(section, Text + 0x100, Text, 0x100));
        Assert.True(e.Message.Contains(reason, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void CorruptedSectionsOnlyEverFailWithInvalidDataException()
    {
        var good = UnwindTestImages.EhFrame();
        var random = new Random(1234);
        for (int i = 0; i < 5000; i++)
        {
            var bytes = (byte[])good.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                UnwindTestImages.Table(Text, bytes);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    private static byte[] Section(byte[] cie, params byte[][] fdes) => [.. cie, .. fdes.SelectMany(f => f), 0, 0, 0, 0];

    /// <summary>An FDE placed at <paramref name="at"/> in a section mapped at <c>Text + 0x100</c>, padded to 8 bytes.</summary>
    private static byte[] Fde(int at, int pcBegin, int range, byte[] instructions)
    {
        int length = 4 + 4 + 4 + 1 + instructions.Length;
        length = (length + 4 + 7) / 8 * 8 - 4;
        var fde = new byte[4 + length];
        BinaryPrimitives.WriteInt32LittleEndian(fde, length);
        BinaryPrimitives.WriteInt32LittleEndian(fde.AsSpan(4), at + 4); // back to the CIE at 0
        BinaryPrimitives.WriteInt32LittleEndian(fde.AsSpan(8), pcBegin - (0x100 + at + 8));
        BinaryPrimitives.WriteInt32LittleEndian(fde.AsSpan(12), range);
        instructions.CopyTo(fde, 17);
        return fde;
    }
}
