using Sharptime.Format;

namespace Sharptime.Tests.Validation;

public class OperatorReaderTests
{
    private const int Base = 100;

    private static void ReadOne(byte[] bytes, Action<Operator> check, bool hasDataCount = true)
    {
        var reader = new OperatorReader(bytes, Base, hasDataCount);
        reader.Read(out var op);
        check(op);
        Assert.True(reader.IsAtEnd);
    }

    private static MalformedModuleException ReadFails(byte[] bytes, string reasonPrefix, bool hasDataCount = true)
    {
        var e = Assert.Throws<MalformedModuleException>(() =>
        {
            var reader = new OperatorReader(bytes, Base, hasDataCount);
            while (!reader.IsAtEnd) reader.Read(out _);
        });
        Assert.StartsWith(reasonPrefix, e.Reason);
        return e;
    }

    [Fact]
    public void I32ConstIsSignExtendedFromSingleByte() =>
        ReadOne([0x41, 0x7F], op =>
        {
            Assert.Equal(Opcode.I32Const, op.Opcode);
            Assert.Equal(-1, op.I32);
            Assert.Equal(Base, op.Offset);
        });

    [Fact]
    public void I32ConstAcceptsMaximalFiveByteEncoding() =>
        ReadOne([0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x07], op => Assert.Equal(int.MaxValue, op.I32));

    [Fact]
    public void I64ConstDecodesMinimumValue() =>
        ReadOne([0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F], op => Assert.Equal(long.MinValue, op.I64));

    [Fact]
    public void FloatConstantsKeepRawBits()
    {
        ReadOne([0x43, 0x01, 0x00, 0xC0, 0x7F], op => Assert.Equal(0x7FC00001u, op.F32Bits));
        ReadOne([0x44, 0x01, 0, 0, 0, 0, 0, 0xF8, 0x7F], op => Assert.Equal(0x7FF8000000000001ul, op.F64Bits));
    }

    [Fact]
    public void V128ConstKeepsTheSixteenBytesInOrder()
    {
        byte[] bytes = [0xFD, 0x0C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
        ReadOne(bytes, op =>
        {
            Assert.Equal(Opcode.V128Const, op.Opcode);
            for (int i = 0; i < 16; i++) Assert.Equal((byte)i, op.V128[i]);
        });
    }

    [Fact]
    public void PrefixedSubOpcodeIsAnLeb128() =>
        // 0xFC then a padded LEB 0x80 0x00 (= 0): i32.trunc_sat_f32_s.
        ReadOne([0xFC, 0x80, 0x00], op => Assert.Equal(Opcode.I32TruncSatF32S, op.Opcode));

    [Fact]
    public void UnknownSingleByteOpcodeIsIllegal()
    {
        var e = ReadFails([0x01, 0x06], "illegal opcode");
        Assert.Equal(Base + 1, e.ByteOffset);
    }

    [Fact]
    public void UnknownSimdSubOpcodeIsIllegal() => ReadFails([0xFD, 0x9A, 0x01], "illegal opcode");

    [Fact]
    public void UnknownMiscSubOpcodeIsIllegal() => ReadFails([0xFC, 0x12], "illegal opcode");

    [Fact]
    public void LebWithBitsBeyond32IsTooLarge() =>
        ReadFails([0x20, 0x80, 0x80, 0x80, 0x80, 0x10], "integer too large");

    [Fact]
    public void LebLongerThanFiveBytesIsTooLong() =>
        ReadFails([0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], "integer representation too long");

    [Fact]
    public void SignedLebWhoseUnusedBitsDoNotCopyTheSignIsTooLarge() =>
        // Fifth byte 0x70 (unused bits set) while the sign bit (bit 3) is clear.
        ReadFails([0x41, 0xFF, 0xFF, 0xFF, 0xFF, 0x70], "integer too large");

    [Fact]
    public void TruncatedImmediateReportsTheAbsoluteOffset()
    {
        // Like every "unexpected end" from WasmReader (and the spec decoder), reported where the bytes run out.
        var e = ReadFails([0x01, 0x43, 0x00, 0x00], "unexpected end of section or function");
        Assert.Equal(Base + 4, e.ByteOffset);
    }

    [Theory]
    [InlineData(new byte[] { 0x40, 0x01 })]
    [InlineData(new byte[] { 0x40, 0x80, 0x00 })]
    [InlineData(new byte[] { 0x3F, 0x80, 0x80, 0x80, 0x80, 0x00 })]
    public void MemorySizeAndGrowNeedASingleZeroByte(byte[] bytes) => ReadFails(bytes, "zero byte expected");

    [Fact]
    public void MemoryFillNeedsAZeroByte() => ReadFails([0xFC, 0x0B, 0x01], "zero byte expected");

    [Theory]
    [InlineData(0x20)]
    [InlineData(0x3F)]
    [InlineData(0x40)]
    [InlineData(0x41)]
    public void MemargFlagsOf32OrMoreAreMalformed(byte flags) => ReadFails([0x28, flags, 0x00], "malformed memop flags");

    [Fact]
    public void MemargDecodesAlignmentAndOffset() =>
        ReadOne([0x28, 0x02, 0x80, 0x01], op =>
        {
            Assert.Equal(2, op.AlignLog2);
            Assert.Equal(128ul, op.MemoryOffset);
            Assert.Equal(0u, op.MemoryIndex);
        });

    [Fact]
    public void BrTableTargetsAreIteratedInOrder()
    {
        // br_table with targets 1, 200, 0 and default 3.
        var reader = new OperatorReader([0x0E, 0x03, 0x01, 0xC8, 0x01, 0x00, 0x03], Base, true);
        reader.Read(out var op);
        Assert.Equal(3u, op.Index);
        Assert.Equal(3u, op.BrTableCount);
        var targets = op.BrTableTargets;
        var seen = new List<uint>();
        while (targets.TryRead(out uint label)) seen.Add(label);
        Assert.Equal([1u, 200u, 0u], seen);
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void BrTableWithHugeCountButFewBytesFailsWithoutHanging() =>
        ReadFails([0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], "unexpected end of section or function");

    [Fact]
    public void BlockTypeCanBeATypeIndex() =>
        ReadOne([0x02, 0x81, 0x01], op =>
        {
            Assert.Equal(BlockTypeKind.TypeIndex, op.BlockType.Kind);
            Assert.Equal(129u, op.BlockType.TypeIndex);
        });

    [Fact]
    public void BlockTypeCanBeAValueType() =>
        ReadOne([0x04, 0x7E], op =>
        {
            Assert.Equal(BlockTypeKind.Value, op.BlockType.Kind);
            Assert.Equal(ValType.I64, op.BlockType.ValueType);
        });

    [Fact]
    public void NegativeMultiByteBlockTypeIsMalformed() => ReadFails([0x02, 0xFF, 0x7F], "malformed block type");

    [Fact]
    public void SingleByteBlockTypeThatIsNoValueTypeIsMalformed() => ReadFails([0x02, 0x7A], "malformed value type");

    [Fact]
    public void RefNullWithAnUnknownHeapTypeIsMalformed() => ReadFails([0xD0, 0x7F], "malformed reference type");

    [Fact]
    public void CallIndirectReadsTypeThenTableAsLebs() =>
        ReadOne([0x11, 0x05, 0x81, 0x01], op =>
        {
            Assert.Equal(5u, op.Index);
            Assert.Equal(129u, op.Index2);
        });

    [Fact]
    public void TypedSelectReadsItsTypeVector() =>
        ReadOne([0x1C, 0x02, 0x6F, 0x7F], op =>
        {
            Assert.Equal(2u, op.SelectTypeCount);
            Assert.Equal(ValType.ExternRef, op.SelectType);
        });

    [Fact]
    public void LaneIndexIsASingleByte() => ReadOne([0xFD, 0x15, 0x80], op => Assert.Equal(0x80, op.Lane));

    [Fact]
    public void DataDropWithoutDataCountSectionIsMalformed() =>
        ReadFails([0xFC, 0x09, 0x00], "data count section required", hasDataCount: false);

    [Fact]
    public void MemoryInitWithoutDataCountSectionIsMalformed() =>
        ReadFails([0xFC, 0x08, 0x00, 0x00], "data count section required", hasDataCount: false);

    [Fact]
    public void MeasureConstExprStopsAfterTheFirstEnd()
    {
        byte[] bytes = [0x41, 0x80, 0x01, 0x0B, 0x0B, 0xFF];
        Assert.Equal(4, OperatorReader.MeasureConstExpr(bytes, Base, true));
    }

    [Fact]
    public void MeasureConstExprTakesNestedBlocksWhole()
    {
        // block (result i32) i32.const 0 end; end; then bytes of whatever follows.
        byte[] bytes = [0x02, 0x7F, 0x41, 0x00, 0x0B, 0x0B, 0x0B];
        Assert.Equal(6, OperatorReader.MeasureConstExpr(bytes, Base, true));
    }

    [Fact]
    public void MeasureConstExprRunningOutIsUnexpectedEndOfSection()
    {
        var e = Assert.Throws<MalformedModuleException>(() => OperatorReader.MeasureConstExpr([0x02, 0x40, 0x0B], Base, true));
        Assert.Equal("unexpected end of section or function", e.Reason);
    }

    [Fact]
    public void MeasureConstExprWithoutEndIsMalformed() =>
        Assert.Throws<MalformedModuleException>(() => OperatorReader.MeasureConstExpr([0x41, 0x00], Base, true));

    [Fact]
    public void EveryTruncationOfAValidBodyIsMalformedNotACrash()
    {
        // A body touching most immediate kinds; every prefix must fail cleanly.
        byte[] full =
        [
            0x02, 0x40, 0x41, 0x01, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x42, 0x7F, 0x1A, 0x43, 0, 0, 0, 0, 0x1A,
            0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x1A, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x3F, 0x00, 0x1A,
            0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 0x15, 0x00, 0x1A,
            0xFC, 0x0E, 0x00, 0x00, 0x1C, 0x01, 0x7F, 0x11, 0x00, 0x00, 0x0B,
        ];
        for (int length = 0; length < full.Length; length++)
        {
            var prefix = full.AsSpan(0, length).ToArray();
            try
            {
                var reader = new OperatorReader(prefix, Base, true);
                while (!reader.IsAtEnd) reader.Read(out _);
            }
            catch (MalformedModuleException e)
            {
                Assert.InRange(e.ByteOffset!.Value, Base, Base + length);
            }
        }
    }
}
