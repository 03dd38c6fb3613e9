using System.CommandLine;
using System.Globalization;
using System.Text;
using Sharptime.Wasi;

namespace Sharptime.Cli.Commands;

/// <summary>
/// <c>sharptime run [--dir HOST[::GUEST]] [--dir-ro ...] [--env K=V] [--invoke NAME] FILE [ARGS...]</c>: runs a WASI
/// command, or instantiates a module without imports and calls one of its exports.
/// </summary>
internal static class RunCommand
{
    /// <summary>The exit code of a WASI program that trapped: 128 + SIGABRT, as shells report an aborted process.</summary>
    public const int TrapExitCode = 134;

    private const string ExitCodes = """
        Exit codes: a WASI program's own exit code (0 when _start returns); 1 when the module cannot be loaded,
        linked or called (a one-line message on stderr names the problem); 134 when a WASI program traps, runs out
        of --fuel or is interrupted by --timeout (the trap and its wasm backtrace on stderr). With --invoke on a module
        without WASI imports, any failure, a trap included, exits 1.
        Guest arguments that look like options go after '--' or after FILE.
        """;

    private static readonly string[] ValueOptions = ["--dir", "--dir-ro", "--env", "--invoke", .. EngineOptions.ValueOptionNames];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var invoke = new Option<string?>("--invoke")
        {
            Description = "The exported function to call (default: the WASI command entry point _start).",
        };
        var dirs = new Option<string[]>("--dir")
        {
            Description = "Let the guest read and write the host directory HOST, seen as GUEST (default: HOST).",
            HelpName = "HOST[::GUEST]",
            AllowMultipleArgumentsPerToken = false,
        };
        var readOnlyDirs = new Option<string[]>("--dir-ro")
        {
            Description = "Like --dir, but the guest can only read.",
            HelpName = "HOST[::GUEST]",
            AllowMultipleArgumentsPerToken = false,
        };
        var env = new Option<string[]>("--env")
        {
            Description = "Set the guest environment variable K to V.",
            HelpName = "K=V",
            AllowMultipleArgumentsPerToken = false,
        };
        var engineOptions = new EngineOptions();
        var file = new Argument<FileInfo>("file") { Description = "The module: a .wasm binary or .wat text." };
        var args = new Argument<string[]>("args")
        {
            Description = "For a WASI program, its arguments. With --invoke, one value per parameter: i32/i64 in decimal, f32/f64 in decimal or nan/inf/-inf.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("run", "Run a WASI command (its _start), or call an exported function and print each result on its own line.\n\n" + ExitCodes)
        {
            invoke,
            dirs,
            readOnlyDirs,
            env,
            file,
            args,
        };
        engineOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new RunOptions(
                parse.GetValue(invoke),
                parse.GetValue(file)!,
                parse.GetValue(args) ?? [],
                parse.GetValue(dirs) ?? [],
                parse.GetValue(readOnlyDirs) ?? [],
                parse.GetValue(env) ?? []);
            bool wasi = false;
            try
            {
                using var engine = new Engine(engineOptions.CreateConfig(parse));
                using var storeSettings = engineOptions.CreateStoreSettings(parse);
                var module = Load(engine, options.File);
                wasi = module.Imports.Any(i => i.ModuleName == WasiLinkerExtensions.Module);
                if (wasi || options.Invoke is null) return RunWasi(engine, module, options, storeSettings, output, error);
                if (options.Dirs.Length + options.ReadOnlyDirs.Length + options.Env.Length > 0)
                    return Fail(error, "--dir, --dir-ro and --env apply to WASI programs; this module has no WASI imports");
                return Invoke(engine, module, options.Invoke, options.Args, storeSettings, output, error);
            }
            catch (TrapException e)
            {
                error.WriteLine($"error: {(e.Message.StartsWith("wasm trap", StringComparison.Ordinal) ? e.Message : "wasm trap: " + e.Message)}");
                return wasi ? TrapExitCode : 1;
            }
            catch (Exception e) when (e is WasmException or LinkException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                return Fail(error, e.Message);
            }
            catch (Exception e)
            {
                return Fail(error, $"{e.GetType().Name}: {e.Message}");
            }
        });
        return command;
    }

    /// <summary>
    /// Puts a <c>--</c> after FILE so that guest arguments such as <c>-v</c> reach the guest instead of the option
    /// parser: everything after the module file belongs to the program being run.
    /// </summary>
    internal static string[] SeparateGuestArguments(string[] args)
    {
        const int run = 0;
        if (args.Length == 0 || args[run] != "run") return args;
        for (int i = run + 1; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "--") return args;
            if (ValueOptions.Contains(a)) { i++; continue; }
            if (a.StartsWith('-')) continue;
            if (i + 1 < args.Length && args[i + 1] != "--")
                return [.. args[..(i + 1)], "--", .. args[(i + 1)..]];
            return args;
        }
        return args;
    }

    private sealed record RunOptions(string? Invoke, FileInfo File, string[] Args, string[] Dirs, string[] ReadOnlyDirs, string[] Env);

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        return 1;
    }

    private static Module Load(Engine engine, FileInfo file)
    {
        if (!file.Exists) throw new FileNotFoundException($"no such file: '{file.FullName}'");
        Span<byte> header = stackalloc byte[64];
        int read;
        using (var stream = file.OpenRead()) read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        return Engine.DetectPrecompiled(header[..read]) is not null
            ? Module.DeserializeFile(engine, file.FullName)
            : Module.FromFile(engine, file.FullName);
    }

    private static int RunWasi(Engine engine, Module module, RunOptions options, StoreSettings storeSettings, TextWriter output, TextWriter error)
    {
        string entry = options.Invoke ?? "_start";
        var export = module.Exports.FirstOrDefault(e => e.Name == entry && e.Kind == ExternalKind.Function);
        if (export?.FunctionType is not { } type)
            return Fail(error, options.Invoke is null
                ? $"'{options.File.Name}' is not a WASI command: it exports no '_start' function (use --invoke NAME to call another export)"
                : $"the module has no exported function '{entry}'");
        var values = new Val[type.Parameters.Count];
        if (options.Invoke is not null)
        {
            if (options.Args.Length != values.Length)
                return Fail(error, $"'{entry}' takes {values.Length} argument(s) {type}, but {options.Args.Length} were given");
            for (int i = 0; i < values.Length; i++)
            {
                if (!TryParse(options.Args[i], type.Parameters[i], out values[i]))
                    return Fail(error, $"argument {i + 1} '{options.Args[i]}' is not a valid {ValKinds.Name(type.Parameters[i])}");
            }
        }
        else if (values.Length != 0)
        {
            return Fail(error, $"'_start' must take no parameters, but has type {type}");
        }

        var config = new WasiConfig().WithArguments([options.File.Name, .. options.Invoke is null ? options.Args : []]);
        foreach (var kv in options.Env)
        {
            int eq = kv.IndexOf('=');
            if (eq <= 0) return Fail(error, $"--env '{kv}' is not of the form K=V");
            config.WithEnvironment(kv[..eq], kv[(eq + 1)..]);
        }
        foreach (var (spec, permissions) in options.Dirs.Select(d => (d, WasiDirPermissions.ReadWrite))
                     .Concat(options.ReadOnlyDirs.Select(d => (d, WasiDirPermissions.ReadOnly))))
        {
            int sep = spec.IndexOf("::", StringComparison.Ordinal);
            string host = sep < 0 ? spec : spec[..sep], guest = sep < 0 ? spec : spec[(sep + 2)..];
            if (!Directory.Exists(host)) return Fail(error, $"--dir: no such directory '{host}'");
            config.PreopenDirectory(host, guest, permissions);
        }
        using var stdout = StreamFor(output, Console.Out, Console.OpenStandardOutput);
        using var stderr = StreamFor(error, Console.Error, Console.OpenStandardError);
        config.WithStdin(Console.OpenStandardInput()).WithStdout(stdout).WithStderr(stderr);
        config.Inherited[0] = true;
        config.Inherited[1] = ReferenceEquals(output, Console.Out);
        config.Inherited[2] = ReferenceEquals(error, Console.Error);

        using var wasi = new WasiContext(config);
        using var store = new Store<WasiContext>(engine, wasi);
        storeSettings.Apply(store);
        var linker = new Linker<WasiContext>(engine);
        linker.AddWasi();
        var instance = linker.Instantiate(store, module);
        var func = instance.GetFunction(entry)!;
        try
        {
            var results = func.Call(values);
            stdout.Flush();
            if (options.Invoke is not null)
                foreach (var result in results) output.WriteLine(Format(result));
            return 0;
        }
        catch (WasiExitException exit)
        {
            return exit.ExitCode;
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>The process's own stream when <paramref name="writer"/> is the console, else a stream that feeds the writer.</summary>
    private static Stream StreamFor(TextWriter writer, TextWriter console, System.Func<Stream> open)
    {
        if (ReferenceEquals(writer, console))
        {
            writer.Flush();
            return open();
        }
        return new TextWriterStream(writer);
    }

    private static int Invoke(Engine engine, Module module, string name, string[] args, StoreSettings storeSettings, TextWriter output, TextWriter error)
    {
        // The export and the arguments are checked before anything is instantiated.
        var export = module.Exports.FirstOrDefault(e => e.Name == name && e.Kind == ExternalKind.Function);
        if (export?.FunctionType is not { } type)
        {
            var functions = module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name).ToArray();
            error.WriteLine($"error: the module has no exported function '{name}'" +
                (functions.Length > 0 ? $" (exported functions: {string.Join(", ", functions)})" : " (it exports no functions)"));
            return 1;
        }
        if (args.Length != type.Parameters.Count)
        {
            error.WriteLine($"error: '{name}' takes {type.Parameters.Count} argument(s) {type}, but {args.Length} were given");
            return 1;
        }
        var values = new Val[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            if (!TryParse(args[i], type.Parameters[i], out values[i]))
            {
                error.WriteLine($"error: argument {i + 1} '{args[i]}' is not a valid {ValKinds.Name(type.Parameters[i])}");
                return 1;
            }
        }
        using var store = new Store<object?>(engine, null);
        storeSettings.Apply(store);
        var linker = new Linker<object?>(engine);
        var instance = linker.Instantiate(store, module);
        var func = instance.GetFunction(name) ?? throw new InvalidOperationException($"export '{name}' is not a function");
        foreach (var result in func.Call(values)) output.WriteLine(Format(result));
        return 0;
    }

    internal static bool TryParse(string text, ValKind kind, out Val value)
    {
        var inv = CultureInfo.InvariantCulture;
        value = default;
        switch (kind)
        {
            case ValKind.I32:
                if (int.TryParse(text, NumberStyles.AllowLeadingSign, inv, out int i)) value = Val.FromI32(i);
                else if (uint.TryParse(text, NumberStyles.None, inv, out uint u)) value = Val.FromI32((int)u);
                else return false;
                return true;
            case ValKind.I64:
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out long l)) value = Val.FromI64(l);
                else if (ulong.TryParse(text, NumberStyles.None, inv, out ulong ul)) value = Val.FromI64((long)ul);
                else return false;
                return true;
            case ValKind.F32:
                if (!TryParseFloat(text, out double f)) return false;
                value = Val.FromF32((float)f);
                return true;
            case ValKind.F64:
                if (!TryParseFloat(text, out double d)) return false;
                value = Val.FromF64(d);
                return true;
            default:
                return false;
        }
    }

    private static bool TryParseFloat(string text, out double value)
    {
        switch (text.ToLowerInvariant())
        {
            case "nan" or "+nan": value = double.NaN; return true;
            case "-nan": value = -double.NaN; return true;
            case "inf" or "+inf" or "infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value);
    }

    internal static string Format(Val value) => value.Kind switch
    {
        ValKind.I32 => value.AsI32().ToString(CultureInfo.InvariantCulture),
        ValKind.I64 => value.AsI64().ToString(CultureInfo.InvariantCulture),
        ValKind.F32 => FormatFloat(value.AsF32(), value.AsF32().ToString("R", CultureInfo.InvariantCulture)),
        ValKind.F64 => FormatFloat(value.AsF64(), value.AsF64().ToString("R", CultureInfo.InvariantCulture)),
        ValKind.FuncRef => value.IsNull ? "null" : "funcref",
        ValKind.ExternRef => value.IsNull ? "null" : "externref",
        _ => value.ToString(),
    };

    private static string FormatFloat(double v, string text) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : text;

    /// <summary>A write-only stream that decodes UTF-8 into a <see cref="TextWriter"/> (for in-process callers and tests).</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private char[] _chars = new char[256];

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => writer.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int needed = _decoder.GetCharCount(buffer, flush: false);
            if (needed > _chars.Length) _chars = new char[Math.Max(needed, _chars.Length * 2)];
            int n = _decoder.GetChars(buffer, _chars, flush: false);
            writer.Write(_chars, 0, n);
        }
    }
}
