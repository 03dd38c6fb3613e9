using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>Decodes and validates constant expressions (global initializers, segment offsets, element items).</summary>
internal static class ConstExprValidator
{
    /// <summary>
    /// Checks that <paramref name="expr"/> is a constant expression producing one <paramref name="expected"/>.
    /// Only the first <paramref name="visibleGlobalCount"/> globals may be read by <c>global.get</c> (and they must be immutable).
    /// Every <c>ref.func</c> index seen is added to <paramref name="functionReferences"/> when it is given.
    /// </summary>
    /// <exception cref="MalformedModuleException">The expression cannot be decoded.</exception>
    /// <exception cref="InvalidModuleException">The expression is not constant or has the wrong type.</exception>
    public static void Validate(ModuleInfo module, ConstExpr expr, ValType expected, int visibleGlobalCount, HashSet<uint>? functionReferences)
    {
        var reader = OperatorReader.ForConstExpr(module, expr);

        // 2.0 constant operators only push, so a count and the type of the first value describe the stack.
        int count = 0;
        ValType produced = default;
        while (true)
        {
            reader.Read(out var op);
            ValType type;
            switch (op.Opcode)
            {
                case Opcode.End:
                    reader.EnsureAtEnd();
                    if (count != 1 || produced != expected)
                        throw new InvalidModuleException(
                            count == 1
                                ? $"type mismatch: expected {expected.Name()}, found {produced.Name()}"
                                : $"type mismatch: expected one {expected.Name()}, found {count} values",
                            op.Offset);
                    return;
                case Opcode.I32Const: type = ValType.I32; break;
                case Opcode.I64Const: type = ValType.I64; break;
                case Opcode.F32Const: type = ValType.F32; break;
                case Opcode.F64Const: type = ValType.F64; break;
                case Opcode.V128Const: type = ValType.V128; break;
                case Opcode.RefNull: type = op.RefType; break;
                case Opcode.RefFunc:
                    if (op.Index >= (uint)module.FunctionTypeIndices.Count)
                        throw new InvalidModuleException($"unknown function {op.Index}", op.Offset);
                    functionReferences?.Add(op.Index);
                    type = ValType.FuncRef;
                    break;
                case Opcode.GlobalGet:
                {
                    if (op.Index >= (uint)visibleGlobalCount || op.Index >= (uint)module.Globals.Count)
                        throw new InvalidModuleException($"unknown global {op.Index}", op.Offset);
                    var global = module.Globals[(int)op.Index].Type;
                    if (global.Mutable)
                        throw new InvalidModuleException("constant expression required: global.get of a mutable global", op.Offset);
                    type = global.Type;
                    break;
                }
                default:
                    throw new InvalidModuleException($"constant expression required: {op.Info.Name} is not constant", op.Offset);
            }

            if (count++ == 0) produced = type;
        }
    }
}
