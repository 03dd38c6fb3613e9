using System.CommandLine;
using System.Globalization;

namespace Sharptime.Cli.Commands;

/// <summary><c>sharptime run --invoke NAME FILE [ARGS...]</c>: instantiate a module without imports and call an export.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var invoke = new Option<string>("--invoke")
        {
            Description = "The exported function to call.",
            Required = true,
        };
        var file = new Argument<FileInfo>("file") { Description = "The module (.wasm binary or .wat text); it must have no imports." };
        var args = new Argument<string[]>("args")
        {
            Description = "Arguments, one per parameter: i32/i64 in decimal, f32/f64 in decimal or nan/inf/-inf.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("run", "Instantiate a WebAssembly module and call one of its exported functions, printing each result on its own line.")
        {
            invoke,
            file,
            args,
        };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(invoke)!;
            var path = parse.GetValue(file)!;
            var values = parse.GetValue(args) ?? [];
            try
            {
                return Run(name, path, values, output, error);
            }
            catch (TrapException e)
            {
                error.WriteLine($"error: {(e.Message.StartsWith("wasm trap", StringComparison.Ordinal) ? e.Message : "wasm trap: " + e.Message)}");
                return 1;
            }
            catch (Exception e) when (e is WasmException or LinkException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (Exception e)
            {
                error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Run(string name, FileInfo path, string[] args, TextWriter output, TextWriter error)
    {
        using var engine = new Engine();
        var module = Module.FromFile(engine, path.FullName);
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
}
