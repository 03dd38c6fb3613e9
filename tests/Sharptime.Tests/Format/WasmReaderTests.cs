using Sharptime.Format;

namespace Sharptime.Tests.Format;

public class WasmReaderTests
{
    private static MalformedModuleException Fails(byte[] bytes, ReaderAction action, int baseOffset = 0)
    {
        var ex = Assert.Throws<MalformedModuleException>(() =>
        {
            var r = new WasmReader(bytes, baseOffset);
            action(ref r);
        });
        return ex;
    }

    private delegate void ReaderAction(ref WasmReader reader);

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u)]
    [InlineData(new byte[] { 0x7F }, 127u)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128u)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    public void VarU32DecodesValuesUpToFiveBytes(byte[] bytes, uint expected)
    {
        var r = new WasmReader(bytes);
        Assert.Equal(expected, r.ReadVarU32());
        Assert.True(r.IsAtEnd);
    }

    [Fact]
    public void VarU32RejectsUnusedBitsInFifthByte()
    {
        var ex = Fails([0x80, 0x80, 0x80, 0x80, 0x10], (ref WasmReader r) => r.ReadVarU32(), baseOffset: 100);
        Assert.Equal("integer too large", ex.Reason);
        Assert.Equal(104, ex.ByteOffset);
    }

    [Fact]
    public void VarU32RejectsSixthByte()
    {
        var ex = Fails([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], (ref WasmReader r) => r.ReadVarU32());
        Assert.Equal("integer representation too long", ex.Reason);
    }

    [Fact]
    public void VarU32ReportsUnexpectedEndWhenTruncated()
    {
        var ex = Fails([0x80, 0x80], (ref WasmReader r) => r.ReadVarU32(), baseOffset: 8);
        Assert.Equal("unexpected end", ex.Reason);
        Assert.Equal(10, ex.ByteOffset);
    }

    [Fact]
    public void BoundedReaderReportsEndOfSection()
    {
        var ex = Assert.Throws<MalformedModuleException>(() =>
        {
            var r = new WasmReader(new byte[] { 0x80 }, 0, bounded: true);
            r.ReadVarU32();
        });
        Assert.Equal("unexpected end of section or function", ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x7F }, -1)]
    [InlineData(new byte[] { 0x3F }, 63)]
    [InlineData(new byte[] { 0x40 }, -64)]
    [InlineData(new byte[] { 0x80, 0x7F }, -128)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1)]
    public void VarS32DecodesSignedValues(byte[] bytes, int expected)
    {
        var r = new WasmReader(bytes);
        Assert.Equal(expected, r.ReadVarS32());
        Assert.True(r.IsAtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x08 })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x4F })]
    public void VarS32RejectsBitsThatAreNotSignExtension(byte[] bytes)
    {
        var ex = Fails(bytes, (ref WasmReader r) => r.ReadVarS32());
        Assert.Equal("integer too large", ex.Reason);
        Assert.Equal(4, ex.ByteOffset);
    }

    [Fact]
    public void VarS32RejectsSixthByte()
    {
        var ex = Fails([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], (ref WasmReader r) => r.ReadVarS32());
        Assert.Equal("integer representation too long", ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 0xFFFFFFFFL)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, -0x100000000L)]
    [InlineData(new byte[] { 0x40 }, -64L)]
    public void VarS33DecodesThirtyThreeBitValues(byte[] bytes, long expected)
    {
        var r = new WasmReader(bytes);
        Assert.Equal(expected, r.ReadVarS33());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x60 })]
    public void VarS33RejectsValuesBeyondThirtyThreeBits(byte[] bytes)
    {
        var ex = Fails(bytes, (ref WasmReader r) => r.ReadVarS33());
        Assert.Equal("integer too large", ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, long.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }, long.MinValue)]
    [InlineData(new byte[] { 0x7F }, -1L)]
    public void VarS64DecodesSignedValues(byte[] bytes, long expected)
    {
        var r = new WasmReader(bytes);
        Assert.Equal(expected, r.ReadVarS64());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "integer too large")]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E }, "integer too large")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, "integer representation too long")]
    public void VarS64RejectsOutOfRangeEncodings(byte[] bytes, string reason)
    {
        var ex = Fails(bytes, (ref WasmReader r) => r.ReadVarS64());
        Assert.Equal(reason, ex.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, ulong.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128ul)]
    public void VarU64DecodesValues(byte[] bytes, ulong expected)
    {
        var r = new WasmReader(bytes);
        Assert.Equal(expected, r.ReadVarU64());
    }

    [Fact]
    public void VarU64RejectsUnusedBitsInTenthByte()
    {
        var ex = Fails([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02], (ref WasmReader r) => r.ReadVarU64());
        Assert.Equal("integer too large", ex.Reason);
    }

    [Fact]
    public void FloatBitsAreLittleEndian()
    {
        var r = new WasmReader(new byte[] { 0x00, 0x00, 0x80, 0x3F, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F });
        Assert.Equal(0x3F800000u, r.ReadF32Bits());
        Assert.Equal(0x3FF0000000000000ul, r.ReadF64Bits());
    }

    [Fact]
    public void VarU64RejectsEleventhByte()
    {
        var ex = Fails([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x00], (ref WasmReader r) => r.ReadVarU64());
        Assert.Equal("integer representation too long", ex.Reason);
        Assert.Equal(9, ex.ByteOffset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public void TruncatedFloatBitsAreUnexpectedEndWhereTheBytesRunOut(int length)
    {
        var ex = Fails(new byte[length], (ref WasmReader r) => r.ReadF64Bits(), baseOffset: 50);
        Assert.Equal("unexpected end", ex.Reason);
        Assert.Equal(50 + length, ex.ByteOffset);
        ex = Fails(new byte[Math.Min(length, 3)], (ref WasmReader r) => r.ReadF32Bits(), baseOffset: 50);
        Assert.Equal(50 + Math.Min(length, 3), ex.ByteOffset);
    }

    [Fact]
    public void V128KeepsByteOrderAndIsBoundsChecked()
    {
        var bytes = Enumerable.Range(1, 17).Select(i => (byte)i).ToArray();
        var r = new WasmReader(bytes);
        r.ReadByte();
        var v = r.ReadV128();
        for (int i = 0; i < 16; i++) Assert.Equal((byte)(i + 2), v[i]);
        Assert.True(r.IsAtEnd);
        Assert.Equal("unexpected end", Fails(new byte[15], (ref WasmReader r) => r.ReadV128()).Reason);
    }

    [Fact]
    public void ReadNameDecodesUtf8()
    {
        var r = new WasmReader(new byte[] { 0x04, 0x68, 0xC3, 0xA9, 0x21 });
        Assert.Equal("hé!", r.ReadName());
        Assert.True(r.IsAtEnd);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0xC0, 0x80 })]             // overlong NUL
    [InlineData(new byte[] { 0x03, 0xED, 0xA0, 0x80 })]       // surrogate U+D800
    [InlineData(new byte[] { 0x04, 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0x01, 0x80 })]                   // lone continuation byte
    [InlineData(new byte[] { 0x01, 0xC2 })]                   // truncated sequence
    public void ReadNameRejectsInvalidUtf8(byte[] bytes)
    {
        var ex = Fails(bytes, (ref WasmReader r) => r.ReadName());
        Assert.Equal("malformed UTF-8 encoding", ex.Reason);
    }

    [Fact]
    public void LengthLargerThanRemainingBytesFailsFast()
    {
        var ex = Fails([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00], (ref WasmReader r) => r.ReadLength());
        Assert.Equal("length out of bounds", ex.Reason);
        Assert.Equal(0, ex.ByteOffset);
    }

    [Fact]
    public void LengthPastEndOfBoundedContentIsUnexpectedEnd()
    {
        var ex = Assert.Throws<MalformedModuleException>(() =>
        {
            var r = new WasmReader(new byte[] { 0x05, 0x00 }, 20, bounded: true);
            r.ReadLength();
        });
        Assert.Equal("unexpected end of section or function", ex.Reason);
        Assert.Equal(20, ex.ByteOffset);
    }

    [Fact]
    public void LengthAccountsForMinimumElementSize()
    {
        Fails([0x02, 0x00, 0x00, 0x00], (ref WasmReader r) => r.ReadLength(minElementSize: 2));
        var ok = new WasmReader(new byte[] { 0x02, 0x00, 0x00, 0x00, 0x00 });
        Assert.Equal(2, ok.ReadLength(minElementSize: 2));
    }

    [Fact]
    public void ReadBytesPastEndFails()
    {
        var ex = Fails([0x01, 0x02], (ref WasmReader r) => r.ReadBytes(3), baseOffset: 10);
        Assert.Equal("unexpected end", ex.Reason);
    }

    [Fact]
    public void ReadBytesWithNegativeCountFails()
    {
        Fails([0x01], (ref WasmReader r) => r.ReadBytes(-1));
    }

    [Fact]
    public void OffsetIsAbsolute()
    {
        var r = new WasmReader(new byte[] { 0x01, 0x02 }, 40);
        r.ReadByte();
        Assert.Equal(1, r.Position);
        Assert.Equal(41, r.Offset);
        Assert.Equal(1, r.Remaining);
    }

    [Fact]
    public void ValueTypeBytesOutsideTheSetAreMalformed()
    {
        Assert.Equal("malformed value type", Fails([0x40], (ref WasmReader r) => r.ReadValType()).Reason);
        Assert.Equal("malformed reference type", Fails([0x7F], (ref WasmReader r) => r.ReadRefType()).Reason);
    }
}
