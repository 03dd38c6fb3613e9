namespace Sharptime.Tests.Robustness;

/// <summary>Seeded, reproducible mutations of a byte sequence: truncation, flips, insertions, deletions, overwrites.</summary>
internal static class Mutator
{
    public static byte[] Mutate(byte[] original, Random random, out string description)
    {
        var bytes = new List<byte>(original);
        int count = random.Next(1, 4);
        var what = new List<string>(count);
        for (int i = 0; i < count && bytes.Count > 0; i++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes.RemoveRange(at, bytes.Count - at);
                    what.Add($"truncate@{at}");
                    break;
                case 1:
                {
                    byte bit = (byte)(1 << random.Next(8));
                    bytes[at] ^= bit;
                    what.Add($"flip@{at}^{bit:x2}");
                    break;
                }
                case 2:
                {
                    byte b = (byte)random.Next(256);
                    bytes[at] = b;
                    what.Add($"set@{at}={b:x2}");
                    break;
                }
                case 3:
                {
                    int n = random.Next(1, 9);
                    for (int k = 0; k < n; k++) bytes.Insert(at, (byte)random.Next(256));
                    what.Add($"insert@{at}x{n}");
                    break;
                }
                case 4:
                {
                    int n = Math.Min(random.Next(1, 9), bytes.Count - at);
                    bytes.RemoveRange(at, n);
                    what.Add($"delete@{at}x{n}");
                    break;
                }
                case 5:
                    // Continuation bits stress LEB128 bounds; 0xFF/0x7F stress lengths and counts.
                    bytes[at] = random.Next(3) switch { 0 => (byte)(bytes[at] | 0x80), 1 => 0xFF, _ => 0x7F };
                    what.Add($"leb@{at}={bytes[at]:x2}");
                    break;
                default:
                {
                    // Duplicate a slice elsewhere: repeats sections and operator sequences.
                    int len = Math.Min(random.Next(1, 32), bytes.Count - at);
                    var slice = bytes.GetRange(at, len);
                    bytes.InsertRange(random.Next(bytes.Count), slice);
                    what.Add($"dup@{at}x{len}");
                    break;
                }
            }
        }
        description = string.Join(",", what);
        return [.. bytes];
    }
}
