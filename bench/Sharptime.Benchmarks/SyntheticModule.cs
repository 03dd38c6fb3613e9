namespace Sharptime.Benchmarks;

/// <summary>
/// Generates large, valid, deterministic binary modules whose code resembles compiled C: nested blocks
/// and loops, locals of every numeric type, loads and stores, calls, arithmetic and comparisons.
/// </summary>
public static class SyntheticModule
{
    // Function types: 0 = (i32 i32) -> i32, 1 = (i64 f64) -> f64, 2 = () -> ()
    private static readonly byte[][] TypeParams = [[0x7F, 0x7F], [0x7E, 0x7C], []];
    private static readonly byte[][] TypeResults = [[0x7F], [0x7C], []];

    /// <summary>Builds a module whose code section holds at least <paramref name="targetCodeBytes"/> bytes.</summary>
    public static byte[] Generate(int targetCodeBytes, int seed = 42)
    {
        var random = new Random(seed);
        var bodies = new List<byte[]>();
        var types = new List<int>();
        int total = 0;
        while (total < targetCodeBytes)
        {
            int type = bodies.Count % 3;
            var body = new BodyWriter(random, type, bodies.Count, types).Write();
            bodies.Add(body);
            types.Add(type);
            total += body.Length;
        }
        return Assemble(bodies, types);
    }

    private static byte[] Assemble(List<byte[]> bodies, List<int> types)
    {
        var module = new ByteWriter();
        module.Bytes([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);

        var section = new ByteWriter();
        section.U32(3);
        for (int t = 0; t < 3; t++)
        {
            section.Byte(0x60);
            section.U32((uint)TypeParams[t].Length); section.Bytes(TypeParams[t]);
            section.U32((uint)TypeResults[t].Length); section.Bytes(TypeResults[t]);
        }
        module.Section(1, section);

        section = new ByteWriter();
        section.U32((uint)bodies.Count);
        foreach (var t in types) section.U32((uint)t);
        module.Section(3, section);

        section = new ByteWriter();
        section.U32(1); section.Byte(0x00); section.U32(16); // memory 16 pages
        module.Section(5, section);

        section = new ByteWriter();
        section.U32(1); section.Name("main"); section.Byte(0x00); section.U32((uint)(bodies.Count - 1));
        module.Section(7, section);

        section = new ByteWriter();
        section.U32((uint)bodies.Count);
        foreach (var body in bodies) { section.U32((uint)body.Length); section.Bytes(body); }
        module.Section(10, section);
        return module.ToArray();
    }

    private sealed class BodyWriter(Random random, int type, int index, List<int> earlierTypes)
    {
        private readonly ByteWriter _w = new();
        // Locals after the params: 3 of each numeric type.
        private readonly List<byte> _locals = [];
        private int _depth;
        private int _labels;

        public byte[] Write()
        {
            _locals.AddRange(TypeParams[type]);
            var declared = new byte[] { 0x7F, 0x7E, 0x7D, 0x7C };
            var body = new ByteWriter();
            body.U32((uint)declared.Length);
            foreach (var t in declared) { body.U32(3); body.Byte(t); for (int i = 0; i < 3; i++) _locals.Add(t); }

            int statements = random.Next(8, 40);
            for (int i = 0; i < statements; i++) Statement();
            foreach (var result in TypeResults[type]) Expr(result);
            _w.Byte(0x0B);
            body.Bytes(_w.ToArray());
            return body.ToArray();
        }

        private void Statement()
        {
            _depth++;
            switch (_depth > 4 ? random.Next(3) : random.Next(7))
            {
                case 0:
                case 1:
                {
                    int local = random.Next(_locals.Count);
                    Expr(_locals[local]);
                    _w.Byte(0x21); _w.U32((uint)local);
                    break;
                }
                case 2:
                    Expr(0x7F); _w.Byte(0x41); _w.S32(random.Next(-1000, 1000));
                    Expr(0x7F);
                    _w.Byte(0x36); _w.U32(2); _w.U32((uint)random.Next(0, 4096)); // i32.store
                    _w.Byte(0x1A); // drop the extra i32
                    break;
                case 3: // block with a conditional exit
                    _w.Byte(0x02); _w.Byte(0x40); _labels++;
                    Expr(0x7F); _w.Byte(0x0D); _w.U32(0);
                    for (int i = random.Next(1, 4); i > 0; i--) Statement();
                    _w.Byte(0x0B); _labels--;
                    break;
                case 4: // counted loop
                {
                    int counter = TypeParams[type].Length + random.Next(3); // an i32 local
                    _w.Byte(0x03); _w.Byte(0x40); _labels++;
                    for (int i = random.Next(1, 3); i > 0; i--) Statement();
                    _w.Byte(0x20); _w.U32((uint)counter); _w.Byte(0x41); _w.S32(1); _w.Byte(0x6B);
                    _w.Byte(0x22); _w.U32((uint)counter);
                    _w.Byte(0x0D); _w.U32(0);
                    _w.Byte(0x0B); _labels--;
                    break;
                }
                case 5:
                    Expr(0x7F);
                    _w.Byte(0x04); _w.Byte(0x40); _labels++;
                    Statement();
                    _w.Byte(0x05);
                    Statement();
                    _w.Byte(0x0B); _labels--;
                    break;
                default:
                    if (index > 0 && TryCall(2)) break;
                    Expr(0x7E); _w.Byte(0x1A);
                    break;
            }
            _depth--;
        }

        private bool TryCall(int wanted)
        {
            for (int tries = 0; tries < 4; tries++)
            {
                int callee = random.Next(index);
                if (earlierTypes[callee] != wanted) continue;
                foreach (var p in TypeParams[wanted]) Expr(p);
                _w.Byte(0x10); _w.U32((uint)callee);
                return true;
            }
            return false;
        }

        private void Expr(byte t)
        {
            _depth++;
            bool leaf = _depth > 6 || random.Next(3) == 0;
            if (leaf)
            {
                int local = FindLocal(t);
                if (local >= 0 && random.Next(2) == 0) { _w.Byte(0x20); _w.U32((uint)local); }
                else Const(t);
                _depth--;
                return;
            }
            switch (t)
            {
                case 0x7F:
                    switch (random.Next(6))
                    {
                        case 0: Expr(0x7F); _w.Byte(0x28); _w.U32(2); _w.U32((uint)random.Next(0, 4096)); break;
                        case 1: Expr(0x7E); Expr(0x7E); _w.Byte((byte)random.Next(0x51, 0x5B)); break;
                        case 2: Expr(0x7C); Expr(0x7C); _w.Byte((byte)random.Next(0x61, 0x67)); break;
                        case 3 when index > 0 && TryCall(0): break;
                        case 4: Expr(0x7F); Expr(0x7F); Expr(0x7F); _w.Byte(0x1B); break;
                        default: Expr(0x7F); Expr(0x7F); _w.Byte((byte)random.Next(0x6A, 0x79)); break;
                    }
                    break;
                case 0x7E:
                    if (random.Next(4) == 0) { Expr(0x7F); _w.Byte(0xAC); }
                    else { Expr(0x7E); Expr(0x7E); _w.Byte((byte)random.Next(0x7C, 0x8B)); }
                    break;
                case 0x7D:
                    if (random.Next(4) == 0) { Expr(0x7C); _w.Byte(0xB6); }
                    else { Expr(0x7D); Expr(0x7D); _w.Byte((byte)random.Next(0x92, 0x99)); }
                    break;
                default:
                    if (random.Next(4) == 0) { Expr(0x7F); _w.Byte(0xB7); }
                    else if (index > 0 && random.Next(4) == 0 && TryCall(1)) { }
                    else { Expr(0x7C); Expr(0x7C); _w.Byte((byte)random.Next(0xA0, 0xA7)); }
                    break;
            }
            _depth--;
        }

        private int FindLocal(byte t)
        {
            int start = random.Next(_locals.Count);
            for (int i = 0; i < _locals.Count; i++)
            {
                int candidate = (start + i) % _locals.Count;
                if (_locals[candidate] == t) return candidate;
            }
            return -1;
        }

        private void Const(byte t)
        {
            switch (t)
            {
                case 0x7F: _w.Byte(0x41); _w.S32(random.Next(-100000, 100000)); break;
                case 0x7E: _w.Byte(0x42); _w.S64(random.NextInt64(-1L << 40, 1L << 40)); break;
                case 0x7D: _w.Byte(0x43); _w.Bytes(BitConverter.GetBytes((float)random.NextDouble())); break;
                default: _w.Byte(0x44); _w.Bytes(BitConverter.GetBytes(random.NextDouble() * 1000)); break;
            }
        }
    }

    private sealed class ByteWriter
    {
        private readonly List<byte> _bytes = [];

        public void Byte(byte b) => _bytes.Add(b);
        public void Bytes(ReadOnlySpan<byte> bytes) { foreach (var b in bytes) _bytes.Add(b); }

        public void U32(uint value)
        {
            do
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                _bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
            } while (value != 0);
        }

        public void S32(int value) => S64(value);

        public void S64(long value)
        {
            while (true)
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
                _bytes.Add(done ? b : (byte)(b | 0x80));
                if (done) return;
            }
        }

        public void Name(string s)
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            U32((uint)utf8.Length);
            Bytes(utf8);
        }

        public void Section(byte id, ByteWriter content)
        {
            Byte(id);
            U32((uint)content._bytes.Count);
            _bytes.AddRange(content._bytes);
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
