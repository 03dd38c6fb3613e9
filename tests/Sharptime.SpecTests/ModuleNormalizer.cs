using Sharptime.Tests.Shared;
using System.Text;
using Sharptime.Format;

namespace Sharptime.SpecTests;

/// <summary>
/// Renders a binary module as text in which encodings the spec treats as equal look the same, so two encoders
/// can be compared on what they mean rather than on which of the permitted forms they chose:
/// custom and data count sections are left out; element segments are listed item by item (an index list and
/// the matching <c>ref.func</c> expressions read the same); block types that name a type index of shape
/// <c>[] → [t?]</c> read like the short form.
/// </summary>
internal static class ModuleNormalizer
{
    public static string Normalize(byte[] bytes)
    {
        var module = ModuleParser.Parse(bytes);
        var text = new StringBuilder();
        foreach (var (id, start, end) in WasmSections.Enumerate(bytes))
        {
            switch (id)
            {
                case 0: // custom: names differ by design
                case 12: // data count: derivable; see the class summary
                    break;
                case 9:
                    AppendElements(text, module);
                    break;
                case 10:
                    AppendCode(text, module);
                    break;
                default:
                    text.Append($"section {id}: {Convert.ToHexString(bytes, start, end - start)}\n");
                    break;
            }
        }
        return text.ToString();
    }

    private static void AppendElements(StringBuilder text, ModuleInfo module)
    {
        var bytes = module.Bytes.Span;
        foreach (var segment in module.Elements)
        {
            text.Append($"elem {segment.Mode} table={segment.TableIndex} type={segment.ElementType.Name()}");
            if (segment.TableOffset is { } offset) text.Append(" offset=").Append(Convert.ToHexString(bytes.Slice(offset.Offset, offset.Length)));
            text.Append(" items=");
            if (segment.FunctionIndices is { } indices)
            {
                foreach (var index in indices) text.Append($"[ref.func {index}]");
            }
            else
            {
                foreach (var expr in segment.Expressions!)
                {
                    var reader = OperatorReader.ForConstExpr(module, expr);
                    reader.Read(out var op);
                    text.Append(op.Opcode == Opcode.RefFunc ? $"[ref.func {op.Index}]" : $"[{Convert.ToHexString(bytes.Slice(expr.Offset, expr.Length))}]");
                }
            }
            text.Append('\n');
        }
    }

    private static void AppendCode(StringBuilder text, ModuleInfo module)
    {
        var bytes = module.Bytes.Span;
        var locals = new LocalTypes();
        for (int i = 0; i < module.FunctionBodies.Count; i++)
        {
            var reader = OperatorReader.ForFunctionBody(module, i);
            locals.Reset([]);
            reader.ReadLocalDeclarations(locals);
            text.Append($"func {i} locals=");
            for (int g = 0; g < locals.GroupCount; g++) text.Append($"{locals.GetGroup(g).End}:{locals.GetGroup(g).Type.Name()} ");
            text.Append("code=");
            while (!reader.IsAtEnd)
            {
                int start = reader.Offset;
                reader.Read(out var op);
                if (op.Info.Immediate == ImmediateKind.BlockType && op.BlockType.Kind == BlockTypeKind.TypeIndex
                    && ShortForm(module, op.BlockType.TypeIndex) is { } shortForm)
                {
                    text.Append($"{(byte)op.Opcode:X2}{shortForm}");
                }
                else
                {
                    text.Append(Convert.ToHexString(bytes[start..reader.Offset]));
                }
            }
            text.Append('\n');
        }
    }

    private static string? ShortForm(ModuleInfo module, uint typeIndex)
    {
        if (typeIndex >= module.Types.Count) return null;
        var type = module.Types[(int)typeIndex];
        if (type.Params.Length != 0 || type.Results.Length > 1) return null;
        return type.Results.Length == 0 ? "40" : $"{(byte)type.Results[0]:X2}";
    }
}
