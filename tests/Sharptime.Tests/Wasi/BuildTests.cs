using System.Diagnostics;

namespace Sharptime.Tests.Wasi;

/// <summary>A fact skipped, with the reason shown, when the wasm32-wasi C toolchain is not installed.</summary>
public sealed class WasiToolchainFactAttribute : FactAttribute
{
    /// <summary>Skips unless clang and Debian's wasi-libc are installed.</summary>
    public WasiToolchainFactAttribute()
    {
        if (WasiPrograms.FindOnPath("clang") is null || !File.Exists("/usr/lib/wasm32-wasi/crt1.o"))
            Skip = "the wasm32-wasi toolchain is missing (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)";
    }
}

/// <summary>The committed test programs are exactly what their sources build to.</summary>
public sealed class BuildTests
{
    [WasiToolchainFact]
    public void CommittedWasmEqualsARebuildFromTheCSources()
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(WasiPrograms.Directory, "build.sh"), "--check"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();

        Assert.True(p.ExitCode == 0, stdout + stderr.Result);
        Assert.DoesNotContain("DIFFERENT", stdout);
    }
}
