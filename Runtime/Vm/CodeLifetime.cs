namespace Sharptime.Vm;

/// <summary>
/// Frees native code once nothing can run it any more: a module's text section (and the artifact file it was mapped
/// from), or an engine's exit trampolines. Counted: the owner holds one reference (a <see cref="Module"/> releases it
/// when disposed; an <see cref="Engine"/> never does), and every store that instantiated the module holds one through a
/// <see cref="Lease"/>. The code is freed when the count reaches zero, or by the finalizer once nothing reaches this
/// object.
/// </summary>
/// <remarks>
/// Why the finalizer is safe: compiled code only runs through a store, and a store roots every instance it holds
/// (strong handles until it is disposed), each instance its module, and the store its engine. So when a module or
/// engine is unreachable, none of its code is running or can be called again. The registries that map PCs to code are
/// cleared before the pages are unmapped, so a later mapping at the same address is never mistaken for this code.
/// </remarks>
internal sealed class CodeLifetime
{
    private LoadedCode? _code;
    private readonly IDisposable? _file;
    private readonly IEnumerable<CodeMemory>? _trampolines;
    private int _references = 1;
    private int _freed;

    private CodeLifetime(LoadedCode? code, IDisposable? file, IEnumerable<CodeMemory>? trampolines)
    {
        _code = code;
        _file = file;
        _trampolines = trampolines;
    }

    /// <summary>
    /// Frees <paramref name="code"/> (registered in <see cref="CodeRegistry"/>, or null until <see cref="Attach"/>) and
    /// then <paramref name="file"/>.
    /// </summary>
    public static CodeLifetime ForModule(LoadedCode? code, IDisposable? file) => new(code, file, null);

    /// <summary>Frees the code memories that <paramref name="trampolines"/> (a live view) holds at that time.</summary>
    public static CodeLifetime ForTrampolines(IEnumerable<CodeMemory> trampolines) => new(null, null, trampolines);

    /// <summary>Hands over code compiled after creation. The caller holds a reference, so the code cannot be freed yet.</summary>
    public void Attach(LoadedCode code) => _code = code;

    /// <summary>A reference for a user of the code, or null when the count already reached zero and the code is gone.</summary>
    public Lease? TryAcquire()
    {
        int count = Volatile.Read(ref _references);
        while (count > 0)
        {
            int seen = Interlocked.CompareExchange(ref _references, count + 1, count);
            if (seen == count) return new Lease(this);
            count = seen;
        }
        return null;
    }

    /// <summary>Drops one reference; the last one frees the code.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        Free();
        GC.SuppressFinalize(this);
    }

    ~CodeLifetime() => Free();

    private void Free()
    {
        if (Interlocked.Exchange(ref _freed, 1) != 0) return;
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
            // Runs from a finalizer too, which must not throw; what could not be freed stays mapped.
        }
    }

    /// <summary>One reference, released once by <see cref="Dispose"/> (a store owns it until the store is disposed).</summary>
    internal sealed class Lease(CodeLifetime lifetime) : IDisposable
    {
        private CodeLifetime? _lifetime = lifetime;

        public void Dispose() => Interlocked.Exchange(ref _lifetime, null)?.Release();
    }
}
