using Sharptime.Format;

namespace Sharptime.Text;

/// <summary>Module fields: binding identifiers (pass 1), encoding fields (pass 2) and assembling sections.</summary>
internal sealed partial class WatEncoder
{
    // ----------------------------------------------------------------------------------------------
    // Pass 1: bind identifiers

    private byte[] EncodeFields(bool readName)
    {
        if (readName)
        {
            var id = OptionalId();
            if (id is not null) _moduleName = id;
        }
        int first = _p;
        Collect();
        int after = _p;
        _p = first;
        while (Peek().Kind == TokenKind.LParen) EncodeField();
        if (_p != after) throw Unexpected(Peek());
        return Assemble();
    }

    private void Collect()
    {
        string? definedKind = null; // first non-import func/table/memory/global, for "import after ..."
        while (Peek().Kind == TokenKind.LParen)
        {
            int fieldStart = _p;
            Next();
            Token kwTok = Next();
            if (kwTok.Kind != TokenKind.Keyword) throw Unexpected(kwTok);
            var kw = Text(kwTok);
            switch (kw)
            {
                case "type":
                {
                    var at = Peek();
                    string? name = OptionalId();
                    OpenField("func");
                    var ps = new List<ValType>();
                    var rs = new List<ValType>();
                    ParseSignature(ps, rs, null, allowNames: true);
                    ExpectRParen();
                    ExpectRParen();
                    Bind(_typeIds, name, (uint)_types.Count, () => Error(at, $"duplicate type ${name}"));
                    AddType(new FuncSig(ps.ToArray(), rs.ToArray()));
                    _p = fieldStart;
                    break;
                }
                case "import":
                {
                    if (definedKind is not null) throw Error(kwTok, $"import after {definedKind}");
                    ExpectName();
                    ExpectName();
                    ExpectLParen();
                    var kindTok = Next();
                    var at = Peek();
                    string? name = OptionalId();
                    var space = Text(kindTok) switch
                    {
                        "func" when kindTok.Kind == TokenKind.Keyword => _funcs,
                        "table" when kindTok.Kind == TokenKind.Keyword => _tables,
                        "memory" when kindTok.Kind == TokenKind.Keyword => _mems,
                        "global" when kindTok.Kind == TokenKind.Keyword => _globals,
                        _ => throw Unexpected(kindTok),
                    };
                    Define(space, name, at);
                    _p = fieldStart;
                    break;
                }
                case "func":
                case "table":
                case "memory":
                case "global":
                {
                    var space = kw switch { "func" => _funcs, "table" => _tables, "memory" => _mems, _ => _globals };
                    var at = Peek();
                    string? name = OptionalId();
                    bool imported = false;
                    bool hasElem = false, hasData = false;
                    // Scan the field's direct children for inline import / elem / data.
                    while (Peek().Kind != TokenKind.RParen && Peek().Kind != TokenKind.Eof)
                    {
                        if (Peek().Kind == TokenKind.LParen)
                        {
                            if (IsKeyword(Peek(1), "import")) imported = true;
                            else if (IsKeyword(Peek(1), "elem")) hasElem = true;
                            else if (IsKeyword(Peek(1), "data")) hasData = true;
                            SkipGroup();
                        }
                        else Next();
                    }
                    if (imported)
                    {
                        if (definedKind is not null) throw Error(kwTok, $"import after {definedKind}");
                    }
                    else definedKind ??= space.Kind;
                    Define(space, name, at);
                    if (hasElem && kw == "table" && !imported) _elems.Names.Add(null);
                    if (hasData && kw == "memory" && !imported) _datas.Names.Add(null);
                    _p = fieldStart;
                    break;
                }
                case "elem":
                case "data":
                {
                    var at = Peek();
                    string? name = OptionalId();
                    Define(kw.SequenceEqual("elem") ? _elems : _datas, name, at);
                    _p = fieldStart;
                    break;
                }
                case "export":
                case "start":
                    break;
                default:
                    throw Error(kwTok, $"unknown module field '{Clip(kw)}'");
            }
            _p = fieldStart;
            SkipGroup();
        }
        if (Peek().Kind != TokenKind.RParen && Peek().Kind != TokenKind.Eof) throw Unexpected(Peek());
    }

    // ----------------------------------------------------------------------------------------------
    // Pass 2: encode fields

    private uint _funcIndex, _tableIndex, _memIndex, _globalIndex, _elemIndex, _dataIndex;

    private void EncodeField()
    {
        Token kwTok = Peek(1);
        switch (Text(kwTok))
        {
            case "type": SkipGroup(); break;
            case "import": EncodeImport(); break;
            case "func": EncodeFunc(); break;
            case "table": EncodeTable(); break;
            case "memory": EncodeMemory(); break;
            case "global": EncodeGlobal(); break;
            case "export": EncodeExport(); break;
            case "start":
            {
                Next(); Next();
                if (_start is not null) throw Error(kwTok, "multiple start sections");
                _start = ResolveIndex(_funcs);
                ExpectRParen();
                break;
            }
            case "elem": EncodeElem(); break;
            case "data": EncodeData(); break;
            default: throw Unexpected(kwTok);
        }
    }

    /// <summary>Writes an export. Duplicate names are a validation error, not a text one, so they pass through.</summary>
    private void AddExport(byte[] name, byte kind, uint index)
    {
        _exportSec.Vec(name);
        _exportSec.Byte(kind);
        _exportSec.U32(index);
        _exportCount++;
    }

    /// <summary>Parses inline <c>(export "name")*</c> clauses for the entity <paramref name="index"/>.</summary>
    private void InlineExports(byte kind, uint index)
    {
        while (AtField("export"))
        {
            Next(); Next();
            var name = ExpectName();
            ExpectRParen();
            AddExport(name, kind, index);
        }
    }

    /// <summary>Parses an inline <c>(import "m" "n")</c> if present and writes the import's header.</summary>
    private bool InlineImport()
    {
        if (!AtField("import")) return false;
        Next(); Next();
        var module = ExpectName();
        var field = ExpectName();
        ExpectRParen();
        _importSec.Vec(module);
        _importSec.Vec(field);
        _importCount++;
        return true;
    }

    private void Limits(ByteBuffer buf)
    {
        uint min = ParseU32(Next(), "i32");
        if (PeekIsNat())
        {
            uint max = ParseU32(Next(), "i32");
            buf.Byte(0x01);
            buf.U32(min);
            buf.U32(max);
        }
        else
        {
            buf.Byte(0x00);
            buf.U32(min);
        }
    }

    private void WasmTableType(ByteBuffer buf)
    {
        var limits = new ByteBuffer(16);
        Limits(limits);
        buf.Byte((byte)ExpectRefType());
        buf.Bytes(limits.Span);
    }

    private void WasmGlobalType(ByteBuffer buf)
    {
        if (AtField("mut"))
        {
            Next(); Next();
            buf.Byte((byte)ExpectValType());
            buf.Byte(0x01);
            ExpectRParen();
        }
        else
        {
            buf.Byte((byte)ExpectValType());
            buf.Byte(0x00);
        }
    }

    private void EncodeImport()
    {
        Next(); Next();
        var module = ExpectName();
        var field = ExpectName();
        ExpectLParen();
        var kindTok = Next();
        OptionalId();
        _importSec.Vec(module);
        _importSec.Vec(field);
        _importCount++;
        switch (Text(kindTok))
        {
            case "func":
            {
                _importSec.Byte(0x00);
                _importSec.U32(ParseTypeUse(out _, null, allowNames: true));
                _funcIndex++;
                break;
            }
            case "table":
                _importSec.Byte(0x01);
                WasmTableType(_importSec);
                _tableIndex++;
                break;
            case "memory":
                _importSec.Byte(0x02);
                Limits(_importSec);
                _memIndex++;
                break;
            case "global":
                _importSec.Byte(0x03);
                WasmGlobalType(_importSec);
                _globalIndex++;
                break;
            default: throw Unexpected(kindTok);
        }
        ExpectRParen();
        ExpectRParen();
    }

    private void EncodeFunc()
    {
        Next(); Next();
        OptionalId();
        uint index = _funcIndex++;
        InlineExports(0x00, index);
        if (InlineImport())
        {
            _importSec.Byte(0x00);
            _importSec.U32(ParseTypeUse(out _, null, allowNames: true));
            ExpectRParen();
            return;
        }
        var paramNames = new List<(string? Name, Token At)>();
        uint typeIndex = ParseTypeUse(out var sig, paramNames, allowNames: true);
        _funcSec.U32(typeIndex);
        _funcDefCount++;

        var ctx = new FuncContext();
        // Parameters named inline bind local indices 0..n-1; a bare (type x) binds none.
        uint localIndex = 0;
        foreach (var (name, at) in paramNames)
        {
            if (name is not null && !ctx.Locals.TryAdd(name, localIndex)) throw Error(at, $"duplicate local ${name}");
            if (name is not null) ctx.LocalNames.Add((localIndex, name));
            localIndex++;
        }
        localIndex = (uint)sig.Params.Length;
        var localTypes = new List<ValType>();
        while (AtField("local"))
        {
            Next(); Next();
            if (Peek().Kind == TokenKind.Id)
            {
                var at = Peek();
                string name = OptionalId()!;
                if (!ctx.Locals.TryAdd(name, localIndex)) throw Error(at, $"duplicate local ${name}");
                ctx.LocalNames.Add((localIndex, name));
                localTypes.Add(ExpectValType());
                localIndex++;
            }
            else
            {
                while (Peek().Kind != TokenKind.RParen)
                {
                    localTypes.Add(ExpectValType());
                    localIndex++;
                }
            }
            ExpectRParen();
        }

        var body = new ByteBuffer(256);
        // Locals are written as runs of equal types.
        int runs = 0;
        for (int i = 0; i < localTypes.Count; i++)
            if (i == 0 || localTypes[i] != localTypes[i - 1]) runs++;
        body.U32((uint)runs);
        for (int i = 0; i < localTypes.Count;)
        {
            int j = i;
            while (j < localTypes.Count && localTypes[j] == localTypes[i]) j++;
            body.U32((uint)(j - i));
            body.Byte((byte)localTypes[i]);
            i = j;
        }
        InstrList(body, ctx);
        body.Byte(0x0B);
        ExpectRParen();
        _codeSec.Vec(body.Span);
        if (ctx.LocalNames.Count > 0) _localNames.Add((index, ctx.LocalNames));
    }

    private void EncodeTable()
    {
        Next(); Next();
        OptionalId();
        uint index = _tableIndex++;
        InlineExports(0x01, index);
        if (InlineImport())
        {
            _importSec.Byte(0x01);
            WasmTableType(_importSec);
            ExpectRParen();
            return;
        }
        if (Peek().Kind == TokenKind.Keyword)
        {
            // Abbreviation: (table reftype (elem ...)) defines a table exactly as large as its element list.
            ValType refType = ExpectRefType();
            OpenField("elem");
            var items = new ByteBuffer(64);
            uint count = 0;
            bool exprs = Peek().Kind == TokenKind.LParen;
            while (Peek().Kind != TokenKind.RParen)
            {
                if (exprs) ElemExpr(items);
                else items.U32(ResolveIndex(_funcs));
                count++;
            }
            ExpectRParen();
            ExpectRParen();
            _tableSec.Byte((byte)refType);
            _tableSec.Byte(0x01);
            _tableSec.U32(count);
            _tableSec.U32(count);
            _tableDefCount++;
            var offset = new ByteBuffer(8);
            offset.Byte(0x41);
            offset.Byte(0x00);
            offset.Byte(0x0B);
            WriteElemSegment(mode: 0, index, offset.Span, refType, exprs, count, items.Span);
            _elemIndex++;
            return;
        }
        WasmTableType(_tableSec);
        _tableDefCount++;
        ExpectRParen();
    }

    private void EncodeMemory()
    {
        Next(); Next();
        OptionalId();
        uint index = _memIndex++;
        InlineExports(0x02, index);
        if (InlineImport())
        {
            _importSec.Byte(0x02);
            Limits(_importSec);
            ExpectRParen();
            return;
        }
        if (AtField("data"))
        {
            // Abbreviation: (memory (data ...)) sizes the memory to fit the data, placed at offset 0.
            Next(); Next();
            var data = new ByteBuffer(64);
            while (Peek().Kind == TokenKind.String) data.Bytes(ExpectString());
            ExpectRParen();
            ExpectRParen();
            ulong pages = ((ulong)data.Length + 65535) / 65536;
            _memSec.Byte(0x01);
            _memSec.U32((uint)pages);
            _memSec.U32((uint)pages);
            _memDefCount++;
            if (index == 0) _dataSec.Byte(0x00);
            else
            {
                _dataSec.Byte(0x02);
                _dataSec.U32(index);
            }
            _dataSec.Byte(0x41);
            _dataSec.Byte(0x00);
            _dataSec.Byte(0x0B);
            _dataSec.Vec(data.Span);
            _dataCount++;
            _dataIndex++;
            return;
        }
        Limits(_memSec);
        _memDefCount++;
        ExpectRParen();
    }

    private void EncodeGlobal()
    {
        Next(); Next();
        OptionalId();
        uint index = _globalIndex++;
        InlineExports(0x03, index);
        if (InlineImport())
        {
            _importSec.Byte(0x03);
            WasmGlobalType(_importSec);
            ExpectRParen();
            return;
        }
        WasmGlobalType(_globalSec);
        ConstExprUntilClose(_globalSec);
        _globalDefCount++;
        ExpectRParen();
    }

    private FuncContext? _constContext;

    /// <summary>The context of constant expressions: no locals; labels balance out, so one instance is reused.</summary>
    private FuncContext ConstContext() => _constContext ??= new FuncContext();

    /// <summary>Encodes instructions up to the closing parenthesis (not consumed), then <c>end</c>.</summary>
    private void ConstExprUntilClose(ByteBuffer buf)
    {
        InstrList(buf, ConstContext());
        buf.Byte(0x0B);
    }

    private void EncodeExport()
    {
        Next(); Next();
        var name = ExpectName();
        ExpectLParen();
        var kindTok = Next();
        (byte kind, IndexSpace space) = Text(kindTok) switch
        {
            "func" => ((byte)0x00, _funcs),
            "table" => ((byte)0x01, _tables),
            "memory" => ((byte)0x02, _mems),
            "global" => ((byte)0x03, _globals),
            _ => throw Unexpected(kindTok),
        };
        uint index = ResolveIndex(space);
        ExpectRParen();
        ExpectRParen();
        AddExport(name, kind, index);
    }

    /// <summary><c>(offset instr*)</c> or a single folded instruction, encoded as a constant expression.</summary>
    private void OffsetExpr(ByteBuffer buf)
    {
        if (AtField("offset"))
        {
            Next(); Next();
            ConstExprUntilClose(buf);
            ExpectRParen();
            return;
        }
        if (Peek().Kind != TokenKind.LParen) throw Unexpected(Peek());
        FoldedInstr(buf, ConstContext());
        buf.Byte(0x0B);
    }

    /// <summary><c>(item instr*)</c> or a single folded instruction.</summary>
    private void ElemExpr(ByteBuffer buf)
    {
        if (AtField("item"))
        {
            Next(); Next();
            ConstExprUntilClose(buf);
            ExpectRParen();
            return;
        }
        if (Peek().Kind != TokenKind.LParen) throw Unexpected(Peek());
        FoldedInstr(buf, ConstContext());
        buf.Byte(0x0B);
    }

    private void EncodeElem()
    {
        Next(); Next();
        OptionalId();
        _elemIndex++;
        // mode: 0 active, 1 passive, 2 declarative
        int mode = 1;
        uint table = 0;
        var offset = new ByteBuffer(16);
        if (IsKeyword(Peek(), "declare"))
        {
            Next();
            mode = 2;
        }
        else
        {
            if (AtField("table"))
            {
                Next(); Next();
                table = ResolveIndex(_tables);
                ExpectRParen();
                mode = 0;
            }
            else if (PeekIsIndex() && Peek(1).Kind == TokenKind.LParen)
            {
                // Legacy form: a bare table index before the offset.
                table = ResolveIndex(_tables);
                mode = 0;
            }
            if (mode == 0 || Peek().Kind == TokenKind.LParen)
            {
                mode = 0;
                OffsetExpr(offset);
            }
        }

        var items = new ByteBuffer(64);
        uint count = 0;
        ValType refType = ValType.FuncRef;
        bool exprs;
        if (IsKeyword(Peek(), "func"))
        {
            Next();
            exprs = false;
        }
        else if (Peek().Kind == TokenKind.Keyword)
        {
            refType = ExpectRefType();
            exprs = true;
        }
        else if (mode == 0)
        {
            exprs = false; // legacy: offset followed directly by function indices
        }
        else throw Unexpected(Peek());

        while (Peek().Kind != TokenKind.RParen)
        {
            if (exprs) ElemExpr(items);
            else items.U32(ResolveIndex(_funcs));
            count++;
        }
        ExpectRParen();
        WriteElemSegment(mode, table, offset.Span, refType, exprs, count, items.Span);
    }

    private void WriteElemSegment(int mode, uint table, ReadOnlySpan<byte> offset, ValType refType, bool exprs, uint count, ReadOnlySpan<byte> items)
    {
        var s = _elemSec;
        if (!exprs)
        {
            switch (mode)
            {
                case 0 when table == 0:
                    s.Byte(0x00);
                    s.Bytes(offset);
                    break;
                case 0:
                    s.Byte(0x02);
                    s.U32(table);
                    s.Bytes(offset);
                    s.Byte(0x00);
                    break;
                case 1:
                    s.Byte(0x01);
                    s.Byte(0x00);
                    break;
                default:
                    s.Byte(0x03);
                    s.Byte(0x00);
                    break;
            }
        }
        else
        {
            switch (mode)
            {
                case 0 when table == 0 && refType == ValType.FuncRef:
                    s.Byte(0x04);
                    s.Bytes(offset);
                    break;
                case 0:
                    s.Byte(0x06);
                    s.U32(table);
                    s.Bytes(offset);
                    s.Byte((byte)refType);
                    break;
                case 1:
                    s.Byte(0x05);
                    s.Byte((byte)refType);
                    break;
                default:
                    s.Byte(0x07);
                    s.Byte((byte)refType);
                    break;
            }
        }
        s.U32(count);
        s.Bytes(items);
        _elemCount++;
    }

    private void EncodeData()
    {
        Next(); Next();
        OptionalId();
        _dataIndex++;
        bool active = false;
        uint memory = 0;
        var offset = new ByteBuffer(16);
        if (AtField("memory"))
        {
            Next(); Next();
            memory = ResolveIndex(_mems);
            ExpectRParen();
            active = true;
        }
        else if (PeekIsIndex() && Peek(1).Kind == TokenKind.LParen)
        {
            memory = ResolveIndex(_mems);
            active = true;
        }
        if (active || Peek().Kind == TokenKind.LParen)
        {
            active = true;
            OffsetExpr(offset);
        }
        var data = new ByteBuffer(64);
        while (Peek().Kind == TokenKind.String) data.Bytes(ExpectString());
        ExpectRParen();
        if (!active) _dataSec.Byte(0x01);
        else if (memory == 0)
        {
            _dataSec.Byte(0x00);
            _dataSec.Bytes(offset.Span);
        }
        else
        {
            _dataSec.Byte(0x02);
            _dataSec.U32(memory);
            _dataSec.Bytes(offset.Span);
        }
        _dataSec.Vec(data.Span);
        _dataCount++;
    }

    // ----------------------------------------------------------------------------------------------
    // Output

    private byte[] Assemble()
    {
        var m = new ByteBuffer(1024);
        m.Bytes([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        if (_types.Count > 0)
        {
            var sec = new ByteBuffer(_types.Count * 4);
            sec.U32((uint)_types.Count);
            foreach (var sig in _types)
            {
                sec.Byte(0x60);
                sec.U32((uint)sig.Params.Length);
                foreach (var t in sig.Params) sec.Byte((byte)t);
                sec.U32((uint)sig.Results.Length);
                foreach (var t in sig.Results) sec.Byte((byte)t);
            }
            Section(m, 1, sec);
        }
        VecSection(m, 2, _importCount, _importSec);
        VecSection(m, 3, _funcDefCount, _funcSec);
        VecSection(m, 4, _tableDefCount, _tableSec);
        VecSection(m, 5, _memDefCount, _memSec);
        VecSection(m, 6, _globalDefCount, _globalSec);
        VecSection(m, 7, _exportCount, _exportSec);
        if (_start is uint start)
        {
            var sec = new ByteBuffer(8);
            sec.U32(start);
            Section(m, 8, sec);
        }
        VecSection(m, 9, _elemCount, _elemSec);
        if (_needsDataCount)
        {
            var sec = new ByteBuffer(8);
            sec.U32(_dataCount);
            Section(m, 12, sec);
        }
        VecSection(m, 10, _funcDefCount, _codeSec);
        VecSection(m, 11, _dataCount, _dataSec);
        WriteNameSection(m);
        return m.ToArray();
    }

    private static void Section(ByteBuffer m, byte id, ByteBuffer content)
    {
        m.Byte(id);
        m.Vec(content.Span);
    }

    private static void VecSection(ByteBuffer m, byte id, uint count, ByteBuffer entries)
    {
        if (count == 0) return;
        var header = new ByteBuffer(8);
        header.U32(count);
        m.Byte(id);
        m.U32((uint)(header.Length + entries.Length));
        m.Bytes(header.Span);
        m.Bytes(entries.Span);
    }

    /// <summary>The "name" custom section: module name, function names and local names taken from identifiers.</summary>
    private void WriteNameSection(ByteBuffer m)
    {
        var content = new ByteBuffer(256);
        content.Vec("name"u8);
        bool any = false;
        if (_moduleName is not null)
        {
            var sub = new ByteBuffer(32);
            sub.Vec(System.Text.Encoding.UTF8.GetBytes(_moduleName));
            content.Byte(0);
            content.Vec(sub.Span);
            any = true;
        }
        int named = 0;
        foreach (var n in _funcs.Names) if (n is not null) named++;
        if (named > 0)
        {
            var sub = new ByteBuffer(256);
            sub.U32((uint)named);
            for (int i = 0; i < _funcs.Names.Count; i++)
            {
                if (_funcs.Names[i] is not string name) continue;
                sub.U32((uint)i);
                sub.Vec(System.Text.Encoding.UTF8.GetBytes(name));
            }
            content.Byte(1);
            content.Vec(sub.Span);
            any = true;
        }
        if (_localNames.Count > 0)
        {
            var sub = new ByteBuffer(256);
            sub.U32((uint)_localNames.Count);
            foreach (var (func, locals) in _localNames)
            {
                sub.U32(func);
                locals.Sort((a, b) => a.Index.CompareTo(b.Index));
                sub.U32((uint)locals.Count);
                foreach (var (idx, name) in locals)
                {
                    sub.U32(idx);
                    sub.Vec(System.Text.Encoding.UTF8.GetBytes(name));
                }
            }
            content.Byte(2);
            content.Vec(sub.Span);
            any = true;
        }
        if (any) Section(m, 0, content);
    }
}
