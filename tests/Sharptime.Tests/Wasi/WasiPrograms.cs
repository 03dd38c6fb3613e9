using System.Diagnostics;
using System.Text;
using Sharptime.Wasi;

namespace Sharptime.Tests.Wasi;

/// <summary>What a program run produced.</summary>
internal sealed record ProgramResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";
}

/// <summary>One run of a test program: arguments (after argv[0]), environment, stdin and an optional data folder.</summary>
internal sealed record ProgramCase(string Program, string[] Args, (string Name, string Value)[] Env, string Stdin, Action<string>? PrepareData)
{
    /// <summary>The guest (and native working-directory-relative) name of the data folder.</summary>
    public const string DataName = "data";

    /// <summary>A file-name-safe name of the case: the program and its arguments in ASCII letters and digits.</summary>
    public string Key => string.Join("_", Args.Select(a => a == "-" ? "stdin" : new string(a.Where(char.IsAsciiLetterOrDigit).ToArray()))
        .Where(a => a.Length > 0).Prepend(Program));
}

/// <summary>
/// Runs the C test programs of <c>tests/programs</c>: as committed <c>.wasm</c> in-process through the WASI host, and
/// as the same C compiled natively with clang when it is installed (else from committed expected outputs).
/// </summary>
internal static class WasiPrograms
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "programs");
            if (File.Exists(Path.Combine(candidate, "build.sh"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/programs not found above {AppContext.BaseDirectory}");
    });

    private static readonly Dictionary<string, Module> Modules = [];
    private static readonly Lazy<string?> Clang = new(() => FindOnPath("clang"));

    public static string Directory => Folder.Value;

    public static string WasmPath(string program) => Path.Combine(Directory, program + ".wasm");

    public static bool HasClang => Clang.Value is not null;

    public static Module Load(string program)
    {
        lock (Modules)
        {
            if (!Modules.TryGetValue(program, out var module))
                Modules[program] = module = Module.FromFile(Embedding.Wasm.Engine, WasmPath(program));
            return module;
        }
    }

    /// <summary>Runs the wasm build with its data folder (if any) preopened as <c>data</c>.</summary>
    public static ProgramResult RunWasm(ProgramCase c, Action<WasiConfig>? configure = null)
    {
        using var work = new TempDir();
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var config = new WasiConfig()
            .WithArguments([c.Program, .. c.Args])
            .WithStdin(new MemoryStream(Encoding.UTF8.GetBytes(c.Stdin)))
            .WithStdout(stdout)
            .WithStderr(stderr);
        foreach (var (name, value) in c.Env) config.WithEnvironment(name, value);
        if (c.PrepareData is not null)
        {
            string data = work.Sub(ProgramCase.DataName);
            c.PrepareData(data);
            config.PreopenDirectory(data, ProgramCase.DataName);
        }
        configure?.Invoke(config);
        int exit = Run(c.Program, config);
        return new ProgramResult(exit, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>Instantiates the program with <paramref name="config"/> and runs <c>_start</c>; returns the exit code.</summary>
    public static int Run(string program, WasiConfig config)
    {
        using var wasi = new WasiContext(config);
        using var store = new Store<WasiContext>(Embedding.Wasm.Engine, wasi);
        var linker = new Linker<WasiContext>(Embedding.Wasm.Engine);
        linker.AddWasi();
        var instance = linker.Instantiate(store, Load(program));
        try
        {
            instance.GetFunction("_start")!.Call();
            return 0;
        }
        catch (WasiExitException e)
        {
            return e.ExitCode;
        }
    }

    /// <summary>
    /// The native result: the program compiled with <c>clang -O2</c> and run with the same inputs when clang is
    /// installed; otherwise the committed expected output (<paramref name="source"/> says which).
    /// </summary>
    public static ProgramResult Native(ProgramCase c, out string source)
    {
        string expected = Path.Combine(Directory, "expected", c.Key);
        if (Clang.Value is not { } clang)
        {
            source = $"committed expected output tests/programs/expected/{c.Key}.* (clang is not installed, so the native build was not run)";
            return Expected(c) ?? throw new FileNotFoundException($"no committed expected output for {c.Key}, and clang is not installed");
        }
        source = "the same C compiled natively with clang -O2";
        var result = RunNative(clang, c);
        if (Environment.GetEnvironmentVariable("SHARPTIME_UPDATE_EXPECTED") == "1")
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(expected)!);
            File.WriteAllText(expected + ".exit", result.ExitCode + "\n");
            File.WriteAllText(expected + ".stdout", result.Stdout);
            File.WriteAllText(expected + ".stderr", result.Stderr);
        }
        return result;
    }

    /// <summary>The committed expected output of <paramref name="c"/>, or null when there is none.</summary>
    public static ProgramResult? Expected(ProgramCase c)
    {
        string expected = Path.Combine(Directory, "expected", c.Key);
        if (!File.Exists(expected + ".exit")) return null;
        return new ProgramResult(int.Parse(File.ReadAllText(expected + ".exit").Trim()),
            File.ReadAllText(expected + ".stdout"), File.ReadAllText(expected + ".stderr"));
    }

    private static readonly Dictionary<string, string> NativeBinaries = [];
    private static readonly TempDir NativeDir = new();

    private static ProgramResult RunNative(string clang, ProgramCase c)
    {
        string binary;
        lock (NativeBinaries)
        {
            if (!NativeBinaries.TryGetValue(c.Program, out binary!))
            {
                binary = Path.Combine(NativeDir.Path, c.Program);
                var (exit, _, err) = Exec(clang, ["-O2", "-o", binary, Path.Combine(Directory, c.Program + ".c")], null, "", []);
                if (exit != 0) throw new InvalidOperationException($"native build of {c.Program} failed: {err}");
                NativeBinaries[c.Program] = binary;
            }
        }
        using var work = new TempDir();
        if (c.PrepareData is not null) c.PrepareData(work.Sub(ProgramCase.DataName));
        var (code, stdout, stderr) = Exec(binary, c.Args, work.Path, c.Stdin, c.Env);
        return new ProgramResult(code, stdout, stderr);
    }

    private static (int Exit, string Stdout, string Stderr) Exec(string file, string[] args, string? cwd, string stdin, (string, string)[] env)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? "",
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        var input = new StreamWriter(p.StandardInput.BaseStream, new UTF8Encoding(false));
        input.Write(stdin);
        input.Close();
        p.WaitForExit();
        return (p.ExitCode, stdoutTask.Result, stderrTask.Result);
    }

    internal static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sharptime-wasi-").FullName;

    public string Sub(string name)
    {
        var p = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
