using Sharptime.Compiler.X64;
using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime.Compiler;

/// <summary>Entry point of the compiler: a validated module in, one text section out (x86-64 baseline tier for now).</summary>
internal static class ModuleCompiler
{
    public static CompiledModule Compile(ModuleInfo module, VMContextLayout layout, bool addressMap = true) =>
        new ModuleCompilerX64(module, layout, addressMap).Compile();
}
