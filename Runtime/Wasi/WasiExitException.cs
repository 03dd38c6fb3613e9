namespace Sharptime.Wasi;

/// <summary>
/// Thrown by <c>proc_exit</c>: the guest asked to end with <see cref="ExitCode"/>. It unwinds the wasm call cleanly
/// (out of <see cref="Func.Call(Val[])"/> as this object) and leaves the store usable for inspection.
/// </summary>
public sealed class WasiExitException : Exception
{
    /// <summary>Creates the exception for exit code <paramref name="exitCode"/>.</summary>
    public WasiExitException(int exitCode)
        : base($"the WASI program exited with code {exitCode}")
    {
        ExitCode = exitCode;
    }

    /// <summary>The code the guest passed to <c>proc_exit</c>.</summary>
    public int ExitCode { get; }
}
