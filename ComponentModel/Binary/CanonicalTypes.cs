using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

/// <summary>
/// The parts of the Canonical ABI that validation needs: element size and alignment (for the size bound), and
/// flattening of value and function types into core types (for lift/lower signatures).
/// </summary>
internal static class CanonicalTypes
{
    public const int MaxFlatParams = 16;
    public const int MaxFlatAsyncParams = 4;
    public const int MaxFlatResults = 1;

    /// <summary>Deepest value type nesting accepted; bounds every recursive walk over value types.</summary>
    public const int MaxDepth = 100;

    /// <summary>Flat counts saturate here: anything above <see cref="MaxFlatParams"/> is treated alike.</summary>
    private const int FlatCountCap = 1 << 20;

    /// <summary>Element sizes saturate here, well above the 2^28 bound validation enforces.</summary>
    private const ulong SizeCap = 1UL << 40;

    /// <summary>Computes <see cref="ValueType.Facts"/> of a freshly built type from its children's facts.</summary>
    public static ValueTypeFacts ComputeFacts(ValueType type)
    {
        switch (type)
        {
            case PrimitiveType p:
                return p.Kind switch
                {
                    PrimitiveKind.Bool or PrimitiveKind.S8 or PrimitiveKind.U8 => new(1, 1, 1, 1, 1, false, false),
                    PrimitiveKind.S16 or PrimitiveKind.U16 => new(1, 1, 1, 2, 2, false, false),
                    PrimitiveKind.S64 or PrimitiveKind.U64 or PrimitiveKind.F64 => new(1, 1, 1, 8, 8, false, false),
                    // Sizes use 64-bit pointers, as the size bound is defined with elem_size(t, 'i64').
                    PrimitiveKind.String => new(1, 1, 2, 16, 8, false, true),
                    _ => new(1, 1, 1, 4, 4, false, false),
                };
            case RecordType r:
            {
                var acc = new Accumulator();
                foreach (var f in r.Fields) acc.AddField(f.Type.Facts);
                return acc.Finish();
            }
            case TupleType t:
            {
                var acc = new Accumulator();
                foreach (var e in t.Types) acc.AddField(e.Facts);
                return acc.Finish();
            }
            case VariantType v:
            {
                var acc = new VariantAccumulator(v.Cases.Length);
                foreach (var c in v.Cases) acc.AddCase(c.Type?.Facts);
                return acc.Finish();
            }
            case OptionType o:
            {
                var acc = new VariantAccumulator(2);
                acc.AddCase(null);
                acc.AddCase(o.Some.Facts);
                return acc.Finish();
            }
            case ResultType res:
            {
                var acc = new VariantAccumulator(2);
                acc.AddCase(res.Ok?.Facts);
                acc.AddCase(res.Error?.Facts);
                return acc.Finish();
            }
            case EnumType e:
            {
                var acc = new VariantAccumulator(e.Labels.Length);
                return acc.Finish();
            }
            case FlagsType f:
            {
                uint size = f.Labels.Length <= 8 ? 1u : f.Labels.Length <= 16 ? 2u : 4u;
                return new(1, 1, 1, size, size, false, false);
            }
            case ListType l:
            {
                var e = l.Element.Facts;
                if (l.Length is uint n)
                {
                    ulong size = Math.Min(SizeCap, e.ElementSize * n);
                    int flat = (int)Math.Min((ulong)FlatCountCap, (ulong)e.FlatCount * n);
                    return new(ComponentType.AddSize(1, e.Size), e.Depth + 1, flat, size, e.Alignment, e.ContainsBorrow, e.ContainsListOrString);
                }
                return new(ComponentType.AddSize(1, e.Size), e.Depth + 1, 2, 16, 8, e.ContainsBorrow, true);
            }
            case MapType m:
            {
                var k = m.Key.Facts;
                var v = m.Value.Facts;
                return new(ComponentType.AddSize(1, ComponentType.AddSize(k.Size, v.Size)), Math.Max(k.Depth, v.Depth) + 1, 2, 16, 8, k.ContainsBorrow || v.ContainsBorrow, true);
            }
            case HandleType h:
                return new(1, 1, 1, 4, 4, h.IsBorrow, false);
            case AsyncValueType a:
                return new(ComponentType.AddSize(1, a.Payload?.Facts.Size ?? 0), (a.Payload?.Facts.Depth ?? 0) + 1, 1, 4, 4, false, false);
            default:
                return new(1, 1, 1, 4, 4, false, false);
        }
    }

    private static ulong AlignTo(ulong value, uint alignment) => (value + alignment - 1) / alignment * alignment;

    /// <summary>Record/tuple layout: fields in order, each at its alignment.</summary>
    private struct Accumulator
    {
        private int _nodes, _depth, _flat;
        private ulong _size;
        private uint _align;
        private bool _borrow, _memory;

        public void AddField(ValueTypeFacts f)
        {
            _nodes = ComponentType.AddSize(_nodes, f.Size);
            _depth = Math.Max(_depth, f.Depth);
            _flat = Math.Min(FlatCountCap, _flat + f.FlatCount);
            _size = Math.Min(SizeCap, AlignTo(_size, f.Alignment) + f.ElementSize);
            _align = Math.Max(_align, f.Alignment);
            _borrow |= f.ContainsBorrow;
            _memory |= f.ContainsListOrString;
        }

        public readonly ValueTypeFacts Finish()
        {
            uint align = Math.Max(1u, _align);
            return new(ComponentType.AddSize(_nodes, 1), _depth + 1, _flat, AlignTo(_size, align), align, _borrow, _memory);
        }
    }

    /// <summary>Variant layout: a discriminant, then the largest payload at the largest payload alignment.</summary>
    private struct VariantAccumulator(int caseCount)
    {
        private int _nodes, _depth, _flat;
        private ulong _size;
        private uint _align = 1;
        private bool _borrow, _memory;

        public void AddCase(ValueTypeFacts? payload)
        {
            _nodes = ComponentType.AddSize(_nodes, 1);
            if (payload is not ValueTypeFacts f) return;
            _nodes = ComponentType.AddSize(_nodes, f.Size);
            _depth = Math.Max(_depth, f.Depth);
            _flat = Math.Max(_flat, f.FlatCount);
            _size = Math.Max(_size, f.ElementSize);
            _align = Math.Max(_align, f.Alignment);
            _borrow |= f.ContainsBorrow;
            _memory |= f.ContainsListOrString;
        }

        public readonly ValueTypeFacts Finish()
        {
            uint disc = caseCount <= 256 ? 1u : caseCount <= 65536 ? 2u : 4u;
            uint align = Math.Max(disc, _align);
            ulong size = AlignTo(AlignTo(disc, _align) + _size, align);
            return new(ComponentType.AddSize(_nodes, 1), _depth + 1, Math.Min(FlatCountCap, _flat + 1), Math.Min(SizeCap, size), align, _borrow, _memory);
        }
    }

    /// <summary>
    /// Appends the flattening of <paramref name="type"/> to <paramref name="output"/>. Callers only flatten types whose
    /// <see cref="ValueTypeFacts.FlatCount"/> is small, so this never builds long lists; recursion is bounded by
    /// <see cref="MaxDepth"/>.
    /// </summary>
    public static void Flatten(ValueType type, List<ValType> output)
    {
        switch (type)
        {
            case PrimitiveType p:
                switch (p.Kind)
                {
                    case PrimitiveKind.S64 or PrimitiveKind.U64: output.Add(ValType.I64); break;
                    case PrimitiveKind.F32: output.Add(ValType.F32); break;
                    case PrimitiveKind.F64: output.Add(ValType.F64); break;
                    case PrimitiveKind.String: output.Add(ValType.I32); output.Add(ValType.I32); break;
                    default: output.Add(ValType.I32); break;
                }
                break;
            case RecordType r:
                foreach (var f in r.Fields) Flatten(f.Type, output);
                break;
            case TupleType t:
                foreach (var e in t.Types) Flatten(e, output);
                break;
            case ListType { Length: uint n } l:
                for (uint i = 0; i < n; i++) Flatten(l.Element, output);
                break;
            case ListType or MapType:
                output.Add(ValType.I32);
                output.Add(ValType.I32);
                break;
            case VariantType v:
                output.Add(ValType.I32);
                int start = output.Count;
                foreach (var c in v.Cases) JoinCase(c.Type, output, start);
                break;
            case OptionType o:
                output.Add(ValType.I32);
                JoinCase(o.Some, output, output.Count);
                break;
            case ResultType res:
            {
                output.Add(ValType.I32);
                int s = output.Count;
                JoinCase(res.Ok, output, s);
                JoinCase(res.Error, output, s);
                break;
            }
            default:
                // enum, flags, own, borrow, stream, future, error-context
                output.Add(ValType.I32);
                break;
        }
    }

    private static void JoinCase(ValueType? payload, List<ValType> output, int start)
    {
        if (payload is null) return;
        var flat = new List<ValType>(payload.Facts.FlatCount);
        Flatten(payload, flat);
        for (int i = 0; i < flat.Count; i++)
        {
            int at = start + i;
            if (at < output.Count) output[at] = Join(output[at], flat[i]);
            else output.Add(flat[i]);
        }
    }

    private static ValType Join(ValType a, ValType b)
    {
        if (a == b) return a;
        if ((a == ValType.I32 && b == ValType.F32) || (a == ValType.F32 && b == ValType.I32)) return ValType.I32;
        return ValType.I64;
    }

    /// <summary>Which side of the boundary a function type is flattened for.</summary>
    public enum Context
    {
        Lift,
        Lower,
    }

    /// <summary>The core function type of a component function type under the given options (flatten_functype).</summary>
    public static FuncType FlattenFunction(LabeledType[] parameters, ValueType? result, bool isAsync, bool hasCallback, Context context)
    {
        int paramCount = 0;
        foreach (var p in parameters) paramCount = Math.Min(FlatCountCap, paramCount + p.Type.Facts.FlatCount);
        int resultCount = result?.Facts.FlatCount ?? 0;

        var flatParams = new List<ValType>();
        int maxParams = isAsync && context == Context.Lower ? MaxFlatAsyncParams : MaxFlatParams;
        if (paramCount > maxParams) flatParams.Add(ValType.I32);
        else foreach (var p in parameters) Flatten(p.Type, flatParams);

        var flatResults = new List<ValType>();
        if (!isAsync)
        {
            if (resultCount > MaxFlatResults)
            {
                if (context == Context.Lift) flatResults.Add(ValType.I32);
                else flatParams.Add(ValType.I32);
            }
            else if (result is not null) Flatten(result, flatResults);
        }
        else if (context == Context.Lift)
        {
            if (hasCallback) flatResults.Add(ValType.I32);
        }
        else
        {
            if (resultCount > 0) flatParams.Add(ValType.I32);
            flatResults.Add(ValType.I32);
        }
        return new FuncType([.. flatParams], [.. flatResults]);
    }
}
