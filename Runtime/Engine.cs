namespace Sharptime;

/// <summary>
/// The shared, thread-safe context in which modules are decoded, validated and (in later releases) compiled.
/// Create one per application and share it.
/// </summary>
public sealed class Engine : IDisposable
{
    /// <summary>Creates an engine with default settings.</summary>
    public Engine() { }

    /// <summary>Releases the engine. Modules created from it must not be used afterwards.</summary>
    public void Dispose() { }
}
