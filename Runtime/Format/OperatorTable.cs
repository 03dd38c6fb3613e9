using System.Collections.Frozen;

namespace Sharptime.Format;

/// <summary>Lookup of <see cref="OperatorInfo"/> by opcode bytes or by text name.</summary>
internal static partial class OperatorTable
{
    private static readonly OperatorInfo?[] SingleByte = new OperatorInfo?[256];
    private static readonly OperatorInfo?[] PrefixFC = new OperatorInfo?[32];
    private static readonly OperatorInfo?[] PrefixFD = new OperatorInfo?[256];
    private static readonly FrozenDictionary<string, OperatorInfo> ByName;

    static OperatorTable()
    {
        var byName = new Dictionary<string, OperatorInfo>(StringComparer.Ordinal);
        foreach (var info in Definitions)
        {
            switch (info.Prefix)
            {
                case 0: SingleByte[info.Code] = info; break;
                case 0xFC: PrefixFC[info.Code] = info; break;
                case 0xFD: PrefixFD[info.Code] = info; break;
            }
            // Typed select shares the mnemonic "select"; the text encoder picks it when types are given.
            if (info.Opcode != Opcode.SelectTyped) byName.Add(info.Name, info);
        }
        ByName = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>All operators, in opcode order within each prefix.</summary>
    public static ReadOnlySpan<OperatorInfo> All => Definitions;

    /// <summary>The operator encoded by a single byte, or null when the byte is not an operator (or is a prefix).</summary>
    public static OperatorInfo? GetSingleByte(byte code) => SingleByte[code];

    /// <summary>The operator <paramref name="prefix"/> <paramref name="code"/>, or null when there is none.</summary>
    public static OperatorInfo? GetPrefixed(byte prefix, uint code)
    {
        var table = prefix switch { 0xFC => PrefixFC, 0xFD => PrefixFD, _ => null };
        return table is not null && code < (uint)table.Length ? table[code] : null;
    }

    public static OperatorInfo Get(Opcode opcode)
    {
        int code = (int)opcode;
        var info = code <= 0xFF ? SingleByte[code] : GetPrefixed((byte)(code >> 16), (uint)(code & 0xFFFF));
        return info ?? throw new ArgumentOutOfRangeException(nameof(opcode));
    }

    /// <summary>Looks an operator up by its text mnemonic (plain <c>select</c> for both select forms).</summary>
    public static bool TryGetByName(string name, out OperatorInfo info) => ByName.TryGetValue(name, out info!);

    /// <summary>Looks an operator up by its text mnemonic without allocating a string.</summary>
    public static bool TryGetByName(ReadOnlySpan<char> name, out OperatorInfo info) =>
        ByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out info!);
}
