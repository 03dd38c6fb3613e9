// TEMPORARY (helper-vm branch only): stand-ins for the lead's compiler so the VM compiles. Delete at merge.
using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime.Compiler
{
    internal sealed class CompiledModule
    {
        public required byte[] Code { get; init; }
        public required int[] FunctionOffsets { get; init; }
        public required int[] ArrayEntryOffsets { get; init; }
    }

    internal static class ModuleCompiler
    {
        public static CompiledModule Compile(ModuleInfo module, VMContextLayout layout) =>
            throw new NotImplementedException("the JIT is not merged yet");
    }
}

namespace Sharptime.Compiler.X64
{
    internal static class X64Trampolines
    {
        // Stub: ud2. Lets host functions be created (and called from C#) before the JIT lands; never executed.
        public static byte[] EmitExitTrampoline(FuncType type) => [0x0F, 0x0B];
    }
}
