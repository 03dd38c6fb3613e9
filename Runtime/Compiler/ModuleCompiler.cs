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
    /// <param name="epochInterruption">Whether to check the epoch deadline at function entries and loop headers (<see cref="Config.EpochInterruption"/>).</param>
    /// <param name="consumeFuel">Whether to count fuel and check it at function entries and loop headers (<see cref="Config.ConsumeFuel"/>).</param>
    public static CompiledModule Compile(ModuleInfo module, VMContextLayout layout, bool addressMap = true, ulong uncheckedAccessLimit = 0,
        bool epochInterruption = false, bool consumeFuel = false) =>
        new ModuleCompilerX64(module, layout, addressMap, uncheckedAccessLimit, epochInterruption, consumeFuel).Compile();

    /// <summary>Compiles with the code-affecting settings of <paramref name="config"/>.</summary>
    public static CompiledModule Compile(ModuleInfo module, VMContextLayout layout, Config config) =>
        Compile(module, layout, config.GenerateAddressMap, config.UncheckedAccessLimit, config.EpochInterruption, config.ConsumeFuel);
}
