namespace Sharptime.Vm;

/// <summary>
/// Frees native code once nothing managed can reach it any more: a module's text section (and the artifact file it
/// was mapped from), or an engine's exit trampolines. Held only by the owning <see cref="Module"/> or
/// <see cref="Engine"/>, so its finalizer runs when the owner is unreachable.
/// </summary>
/// <remarks>
/// Why that is safe: compiled code only runs through a store, and a store roots every instance it holds (strong
/// handles until it is disposed), each instance its module, and the store its engine. So when a module or engine is
/// unreachable, none of its code is running or can be called again. The registries that map PCs to code are cleared
/// before the pages are unmapped, so a later mapping at the same address is never mistaken for this code.
/// </remarks>
internal sealed class CodeLifetime
{
    private readonly LoadedCode? _code;
    private readonly IDisposable? _file;
    private readonly IEnumerable<CodeMemory>? _trampolines;

    private CodeLifetime(LoadedCode? code, IDisposable? file, IEnumerable<CodeMemory>? trampolines)
    {
        _code = code;
        _file = file;
        _trampolines = trampolines;
    }

    /// <summary>Frees <paramref name="code"/> (registered in <see cref="CodeRegistry"/>) and then <paramref name="file"/>.</summary>
    public static CodeLifetime ForModule(LoadedCode? code, IDisposable? file) => new(code, file, null);

    /// <summary>Frees the code memories that <paramref name="trampolines"/> (a live view) holds at that time.</summary>
    public static CodeLifetime ForTrampolines(IEnumerable<CodeMemory> trampolines) => new(null, null, trampolines);

    ~CodeLifetime()
    {
        try
        {
            if (_code is { } code)
            {
                CodeRegistry.Unregister(code);
                code.Memory.Dispose();
            }
            _file?.Dispose();
            if (_trampolines is not null)
                foreach (var memory in _trampolines) memory.Dispose();
        }
        catch
        {
            // A finalizer must not throw; what could not be freed stays mapped, as it would without this object.
        }
    }
}
