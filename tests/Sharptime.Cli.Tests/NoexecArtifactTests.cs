using System.Diagnostics;

namespace Sharptime.Cli.Tests;

/// <summary>
/// An artifact on a noexec mount (a hardened /tmp or /dev/shm) cannot be executed where it is mapped; it still runs,
/// from a private copy of its text. The mount is made in a user namespace, so the test needs no privileges.
/// </summary>
public sealed class NoexecArtifactTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sharptime-noexec-");

    public void Dispose() => _dir.Delete(recursive: true);

    private const string Fib = """
        (module $m
          (func $fib (export "fib") (param i32) (result i32)
            local.get 0 i32.const 2 i32.lt_u
            if (result i32) local.get 0
            else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end))
        """;

    [RequiresUserNamespacesFact]
    public void AnArtifactOnANoexecMountRuns()
    {
        var wat = Path.Combine(_dir.FullName, "m.wat");
        File.WriteAllText(wat, Fib);
        var artifact = Path.Combine(_dir.FullName, "m.cwasm");
        Assert.Equal(0, CliApp.Run(["compile", wat, "-o", artifact], TextWriter.Null, TextWriter.Null));
        var mount = Directory.CreateDirectory(Path.Combine(_dir.FullName, "noexec")).FullName;

        // The script refuses to go on unless the mount really is noexec, so the test cannot pass on an ordinary mount.
        var (exit, output) = RunInUserNamespace($"""
            mount -t tmpfs -o noexec none "$1" || exit 90
            grep -q " $1 tmpfs [^ ]*noexec" /proc/self/mounts || exit 91
            cp "$2" "$1/m.cwasm" || exit 92
            exec "$3" "$4" run --invoke fib "$1/m.cwasm" 20
            """, mount, artifact, Dotnet, Path.Combine(AppContext.BaseDirectory, "Sharptime.Cli.dll"));

        Assert.True(exit == 0, $"exit code {exit}:\n{output}");
        Assert.Equal("6765", output.Trim());
    }

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static (int Exit, string Output) RunInUserNamespace(string script, params string[] args)
    {
        var start = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", .. args]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}

/// <summary>A fact skipped, with the reason shown, where unprivileged user and mount namespaces are unavailable.</summary>
internal sealed class RequiresUserNamespacesFactAttribute : FactAttribute
{
    private static readonly string? s_unavailable = Probe();

    public RequiresUserNamespacesFactAttribute()
    {
        if (s_unavailable is not null) Skip = s_unavailable;
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux user namespaces";
        try
        {
            // The same mount the test makes: containers may allow the namespace but not a tmpfs mount in it.
            const string Mount = """d=$(mktemp -d) && mount -t tmpfs -o noexec none "$d" && umount "$d"; r=$?; rmdir "$d"; exit $r""";
            var start = new ProcessStartInfo("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", Mount])
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"a tmpfs cannot be mounted in a user namespace here: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"unshare (util-linux) is not available: {e.Message}";
        }
    }
}
