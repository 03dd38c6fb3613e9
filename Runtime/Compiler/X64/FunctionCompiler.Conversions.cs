using Sharptime.Format;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private void CompileConversion(Opcode opcode) => throw new NotSupportedException($"`{opcode}` is not compiled yet");
}
