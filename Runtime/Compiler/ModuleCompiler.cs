using Sharptime.Compiler.X64;
using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime.Compiler;

/// <summary>Entry point of the compiler: a validated module in, one text section out (x86-64 baseline tier for now).</summary>
internal static class ModuleCompiler
{
    /// <param name="module">The validated module.</param>
    /// <param name="layout">Its instances' VMContext layout.</param>
    /// <param name="addressMap">Whether to record code offset → wasm offset.</param>
    /// <param name="uncheckedAccessLimit">
    /// Loads and stores whose static offset plus size is at most this need no bounds check (guard-page memories,
    /// <see cref="Config.UncheckedAccessLimit"/>); 0 checks every access.
    /// </param>
    public static CompiledModule Compile(ModuleInfo module, VMContextLayout layout, bool addressMap = true, ulong uncheckedAccessLimit = 0) =>
        new ModuleCompilerX64(module, layout, addressMap, uncheckedAccessLimit).Compile();
}
