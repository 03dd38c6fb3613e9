using Sharptime.Format;

namespace Sharptime.Vm.MemoryImages;

/// <summary>
/// Evaluates segment offset expressions that are known before instantiation: constants and arithmetic on them, but no
/// <c>global.get</c> (an imported global's value is only known at instantiation).
/// </summary>
internal static class ConstantOffset
{
    /// <summary>The expression's value as an unsigned offset, or false when it reads a global or is not an integer.</summary>
    public static bool TryEvaluate(ModuleInfo info, ConstExpr expr, out ulong value)
    {
        value = 0;
        OperatorReader reader;
        try
        {
            reader = OperatorReader.ForConstExpr(info, expr);
        }
        catch (WasmException)
        {
            return false;
        }
        Span<long> stack = stackalloc long[8];
        Span<bool> is64 = stackalloc bool[8];
        int sp = 0;
        while (true)
        {
            Operator op;
            try
            {
                reader.Read(out op);
            }
            catch (WasmException)
            {
                return false;
            }
            if (sp == stack.Length && op.Opcode != Opcode.End) return false;
            switch (op.Opcode)
            {
                case Opcode.I32Const: is64[sp] = false; stack[sp++] = op.I32; break;
                case Opcode.I64Const: is64[sp] = true; stack[sp++] = op.I64; break;
                case Opcode.I32Add or Opcode.I32Sub or Opcode.I32Mul:
                    if (sp < 2) return false;
                    sp--;
                    int a = (int)stack[sp - 1], b = (int)stack[sp];
                    stack[sp - 1] = op.Opcode == Opcode.I32Add ? a + b : op.Opcode == Opcode.I32Sub ? a - b : a * b;
                    is64[sp - 1] = false;
                    break;
                case Opcode.I64Add or Opcode.I64Sub or Opcode.I64Mul:
                    if (sp < 2) return false;
                    sp--;
                    long x = stack[sp - 1], y = stack[sp];
                    stack[sp - 1] = op.Opcode == Opcode.I64Add ? x + y : op.Opcode == Opcode.I64Sub ? x - y : x * y;
                    is64[sp - 1] = true;
                    break;
                case Opcode.End:
                    if (sp != 1) return false;
                    // The instantiator reads a 32-bit memory's offset as an unsigned i32.
                    value = is64[0] ? (ulong)stack[0] : (uint)(int)stack[0];
                    return true;
                default:
                    return false;
            }
        }
    }
}
