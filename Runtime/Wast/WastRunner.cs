using System.Buffers.Binary;
using Sharptime.Format;
using Sharptime.Text;
using Sharptime.Validation;

namespace Sharptime.Wast;

/// <summary>
/// Runs WebAssembly script (<c>.wast</c>) files the way the spec's reference interpreter does, executing modules
/// through the public embedding API (<see cref="Linker{T}"/>, <see cref="Store{T}"/>, <see cref="Func"/>).
/// </summary>
/// <remarks>
/// <para>Every script gets a fresh <see cref="Engine"/> and <see cref="Store{T}"/> with the <c>spectest</c> host module
/// defined as the reference interpreter defines it. Each command is run on its own: any exception in one command fails
/// that command only.</para>
/// <para>Judgements: <c>assert_malformed</c> and <c>assert_invalid</c> pass on any <see cref="MalformedModuleException"/>
/// or <see cref="InvalidModuleException"/> (the text is not compared, as wording differs between implementations).
/// <c>assert_unlinkable</c> passes on a <see cref="LinkException"/> (text not compared). <c>assert_trap</c>,
/// <c>assert_uninstantiable</c> and <c>assert_exhaustion</c> need a <see cref="TrapException"/> whose message, without the
/// <c>wasm trap: </c> prefix, contains the expected text or is a prefix of it (so "uninitialized element" matches an
/// expected "uninitialized element 2"); <c>assert_exhaustion</c> also accepts any <see cref="TrapCode.StackOverflow"/> trap.</para>
/// <para>Skipped: components; commands whose arguments, expected results or function signature involve <c>v128</c>;
/// modules the runtime rejects with a <see cref="NotSupportedException"/> about SIMD (naming <c>v128</c> or an operator
/// such as <c>i32x4.splat</c>), and the commands that use such a module. Any other exception fails the command.</para>
/// </remarks>
public sealed partial class WastRunner
{
    private readonly TextWriter? _spectestOutput;
    private readonly Config? _config;

    /// <summary>Creates a runner.</summary>
    /// <param name="spectestOutput">Where the <c>spectest.print*</c> functions write; null to print nothing.</param>
    /// <param name="config">The configuration of each script's engine (an engine copies it); null for the defaults.</param>
    public WastRunner(TextWriter? spectestOutput = null, Config? config = null)
    {
        _spectestOutput = spectestOutput;
        _config = config;
    }

    /// <summary>
    /// When set, every module is precompiled, written to a temporary artifact file and loaded back with
    /// <see cref="Module.DeserializeFile"/> before it is instantiated, so the script checks the artifact path.
    /// </summary>
    public bool RoundTripArtifacts { get; init; }

    /// <summary>
    /// Called with each script's store right after it is created, before any module is instantiated: sets fuel, an
    /// epoch deadline or limits that then apply to the whole script. Without it, a store whose engine consumes fuel or
    /// checks epochs gets all the fuel and the farthest deadline.
    /// </summary>
    public Action<Store>? ConfigureStore { get; init; }

    /// <summary>Reads and runs a script file. Never throws for problems inside the script; they are failures.</summary>
    /// <param name="path">The <c>.wast</c> file.</param>
    /// <param name="displayName">The name used in results; the file name when null.</param>
    public WastFileResult RunFile(string path, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string name = displayName ?? Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new WastFileResult(name, [new WastCommandResult(name, 0, "script", WastOutcome.Failed, $"cannot read: {e.Message}")]);
        }
        return RunText(text, name);
    }

    /// <summary>Runs a script given as text.</summary>
    /// <param name="text">The script.</param>
    /// <param name="fileName">The name used in results and error locations.</param>
    public WastFileResult RunText(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        WastScript script;
        try
        {
            script = WastScript.Parse(text, fileName);
        }
        catch (Exception e)
        {
            return new WastFileResult(fileName, [new WastCommandResult(fileName, 1, "script", WastOutcome.Failed, $"script does not parse: {e.Message}")]);
        }
        using var session = new Session(fileName, _spectestOutput, _config, RoundTripArtifacts, ConfigureStore);
        var results = new List<WastCommandResult>(script.Commands.Count);
        foreach (var command in script.Commands) results.Add(session.Run(command));
        return new WastFileResult(fileName, results);
    }

    /// <summary>An <c>externref</c> written in a script as <c>ref.extern N</c>: the same N is the same object.</summary>
    /// <param name="Value">N.</param>
    public sealed record HostRef(ulong Value)
    {
        /// <summary><c>ref.extern N</c>.</summary>
        public override string ToString() => $"ref.extern {Value}";
    }

    /// <summary>A command that was not run, with the reason.</summary>
    private sealed class SkipException(string reason) : Exception(reason);

    /// <summary>A command whose outcome differs from the script's expectation.</summary>
    private sealed class FailException(string message) : Exception(message);

    /// <summary>One script's engine, store, linker and module bookkeeping.</summary>
    private sealed partial class Session : IDisposable
    {
        private readonly string _file;
        private readonly TextWriter? _print;
        private readonly Engine _engine;
        private readonly Store<object?> _store;
        private readonly Linker<object?> _linker;
        private readonly Dictionary<string, Instance> _named = new(StringComparer.Ordinal);
        private readonly Dictionary<ulong, HostRef> _hostRefs = [];
        private readonly Dictionary<string, string> _skippedNames = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _failedNames = new(StringComparer.Ordinal);
        private Instance? _current;
        private string? _currentProblem;
        private string? _currentSkip;

        private readonly bool _roundTripArtifacts;

        public Session(string file, TextWriter? print, Config? config, bool roundTripArtifacts, Action<Store>? configureStore)
        {
            _file = file;
            _roundTripArtifacts = roundTripArtifacts;
            _print = print;
            _engine = config is null ? new Engine() : new Engine(config);
            _store = new Store<object?>(_engine, null);
            // Unless the caller says otherwise, scripts run to completion: with interruption compiled in, grant
            // everything (the checks still run).
            if (_engine.Config.ConsumeFuel) _store.SetFuel(ulong.MaxValue);
            if (_engine.Config.EpochInterruption) _store.SetEpochDeadline(ulong.MaxValue);
            configureStore?.Invoke(_store);
            _linker = new Linker<object?>(_engine) { AllowShadowing = true };
            DefineSpectest();
        }

        public void Dispose()
        {
            _store.Dispose();
            _engine.Dispose();
        }

        public WastCommandResult Run(WastCommand command)
        {
            string keyword = Keyword(command);
            try
            {
                Execute(command);
                return new WastCommandResult(_file, command.Line, keyword, WastOutcome.Passed, null);
            }
            catch (SkipException e)
            {
                return new WastCommandResult(_file, command.Line, keyword, WastOutcome.Skipped, e.Message);
            }
            catch (FailException e)
            {
                return new WastCommandResult(_file, command.Line, keyword, WastOutcome.Failed, e.Message);
            }
            catch (NotSupportedException e) when (IsSimd(e.Message))
            {
                // SIMD the runtime does not support yet: not run, with the reason. Any other unsupported feature fails.
                if (command is WastModuleCommand { Module: var m })
                {
                    _currentSkip = $"the module at line {m.Line} was not run ({e.Message})";
                    if (m.Name is not null) _skippedNames[m.Name] = _currentSkip;
                }
                return new WastCommandResult(_file, command.Line, keyword, WastOutcome.Skipped, $"not supported: {e.Message}");
            }
            catch (Exception e)
            {
                return new WastCommandResult(_file, command.Line, keyword, WastOutcome.Failed, Unexpected(e));
            }
        }

        /// <summary>Whether a "not supported" message is about SIMD: it names v128 or a SIMD operator such as i32x4.splat.</summary>
        internal static bool IsSimd(string message) => SimdPattern().IsMatch(message);

        [System.Text.RegularExpressions.GeneratedRegex(@"v128|[if](8|16|32|64)x(2|4|8|16)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
        private static partial System.Text.RegularExpressions.Regex SimdPattern();

        private static string Keyword(WastCommand command) => command switch
        {
            WastModuleCommand { Module.IsComponent: true } => "component",
            WastModuleCommand => "module",
            WastRegister => "register",
            WastActionCommand { Action: WastGet } => "get",
            WastActionCommand => "invoke",
            WastAssertReturn => "assert_return",
            WastAssertTrap => "assert_trap",
            WastAssertExhaustion => "assert_exhaustion",
            WastAssertMalformed => "assert_malformed",
            WastAssertInvalid => "assert_invalid",
            WastAssertUnlinkable => "assert_unlinkable",
            WastAssertUninstantiable => "assert_uninstantiable",
            WastInstanceCommand => "component instance",
            _ => command.GetType().Name,
        };

        private static string Unexpected(Exception e) => e switch
        {
            TrapException t => $"unexpected trap: {t.Message}",
            LinkException l => $"unexpected link error: {l.Message}",
            MalformedModuleException or InvalidModuleException => $"unexpected {e.GetType().Name}: {e.Message}",
            _ => $"unexpected {e.GetType().FullName}: {e.Message}",
        };

        private void Execute(WastCommand command)
        {
            if (command.ModuleOrNull is { IsComponent: true }) throw new SkipException("components are not run by the core runner");
            switch (command)
            {
                case WastModuleCommand c:
                    DefineModule(c.Module);
                    break;
                case WastInstanceCommand:
                    throw new SkipException("components are not run by the core runner");
                case WastRegister c:
                {
                    var instance = Resolve(c.ModuleName);
                    _linker.DefineInstance(_store, c.As, instance);
                    break;
                }
                case WastActionCommand c:
                    Perform(c.Action);
                    break;
                case WastAssertReturn c:
                {
                    SkipV128(c.Action, c.Expected);
                    var results = Perform(c.Action);
                    CheckResults(results, c.Expected);
                    break;
                }
                case WastAssertTrap { Action: { } action } c:
                {
                    SkipV128(action, []);
                    ExpectTrap(() => Perform(action), c.Message, exhaustion: false);
                    break;
                }
                case WastAssertTrap c:
                {
                    var module = Compile(c.Module!);
                    ExpectTrap(() => _linker.Instantiate(_store, module), c.Message, exhaustion: false);
                    break;
                }
                case WastAssertExhaustion c:
                {
                    SkipV128(c.Action, []);
                    ExpectTrap(() => Perform(c.Action), c.Message, exhaustion: true);
                    break;
                }
                case WastAssertMalformed c:
                    ExpectRejected(c.Module, c.Message, malformed: true);
                    break;
                case WastAssertInvalid c:
                    ExpectRejected(c.Module, c.Message, malformed: false);
                    break;
                case WastAssertUnlinkable c:
                {
                    var module = Compile(c.Module);
                    try
                    {
                        _linker.Instantiate(_store, module);
                    }
                    catch (LinkException)
                    {
                        return;
                    }
                    throw new FailException($"expected a link error (\"{c.Message}\"), but the module instantiated");
                }
                case WastAssertUninstantiable c:
                {
                    var module = Compile(c.Module);
                    ExpectTrap(() => _linker.Instantiate(_store, module), c.Message, exhaustion: false);
                    break;
                }
                default:
                    throw new FailException($"unsupported command {command.GetType().Name}");
            }
        }

        // ----- modules -----

        private Module Compile(WastModule module)
        {
            var bytes = module.Encode();
            // Module.FromBytes reads input that does not start with a NUL byte as text; a binary module must not be.
            if (bytes.Length == 0 || bytes[0] != 0) WasmFrontEnd.DecodeAndValidate(bytes);
            if (!_roundTripArtifacts) return Module.FromBytes(_engine, bytes, module.Name);
            var artifact = Module.Precompile(_engine, bytes, module.Name);
            var path = Path.Combine(Path.GetTempPath(), $"sharptime-wast-{Environment.ProcessId}-{Guid.NewGuid():N}.cwasm");
            File.WriteAllBytes(path, artifact);
            try
            {
                return Module.DeserializeFile(_engine, path);
            }
            finally
            {
                // The mapping outlives the directory entry.
                File.Delete(path);
            }
        }

        private void DefineModule(WastModule wast)
        {
            // Until this module instantiates, actions without a module name have no target.
            _current = null;
            _currentProblem = $"the module at line {wast.Line} did not instantiate";
            _currentSkip = null;
            if (wast.Name is not null)
            {
                _named.Remove(wast.Name);
                _skippedNames.Remove(wast.Name);
                _failedNames[wast.Name] = $"module ${wast.Name} (line {wast.Line}) did not instantiate";
            }
            var module = Compile(wast);
            var instance = _linker.Instantiate(_store, module);
            _current = instance;
            _currentProblem = null;
            if (wast.Name is not null)
            {
                _named[wast.Name] = instance;
                _failedNames.Remove(wast.Name);
            }
        }

        private Instance Resolve(string? name)
        {
            if (name is null)
            {
                if (_current is null && _currentSkip is not null) throw new SkipException(_currentSkip);
                return _current ?? throw new FailException(_currentProblem ?? "no module has been defined");
            }
            if (_named.TryGetValue(name, out var instance)) return instance;
            if (_skippedNames.TryGetValue(name, out var reason)) throw new SkipException(reason);
            if (_failedNames.TryGetValue(name, out var problem)) throw new FailException(problem);
            throw new FailException($"unknown module ${name}");
        }

        private void ExpectRejected(WastModule module, string expected, bool malformed)
        {
            try
            {
                Compile(module);
            }
            catch (MalformedModuleException)
            {
                return;
            }
            catch (InvalidModuleException)
            {
                return;
            }
            throw new FailException($"expected {(malformed ? "a malformed" : "an invalid")} module (\"{expected}\"), but it was accepted");
        }

        // ----- actions -----

        private Val[] Perform(WastAction action)
        {
            var instance = Resolve(action.ModuleName);
            switch (action)
            {
                case WastInvoke invoke:
                {
                    var func = instance.GetFunction(invoke.Field)
                        ?? throw new FailException($"no exported function \"{invoke.Field}\"");
                    var args = new Val[invoke.Args.Length];
                    for (int i = 0; i < args.Length; i++) args[i] = ToVal(invoke.Args[i]);
                    return func.Call(args);
                }
                case WastGet get:
                {
                    var global = instance.GetGlobal(get.Field)
                        ?? throw new FailException($"no exported global \"{get.Field}\"");
                    return [global.Value];
                }
                default:
                    throw new FailException($"unsupported action {action.GetType().Name}");
            }
        }

        private void SkipV128(WastAction action, WastValue[] expected)
        {
            bool v128 = expected.Any(v => !v.IsOpaque && v.Type == ValType.V128);
            if (action is WastInvoke invoke)
            {
                v128 |= invoke.Args.Any(v => !v.IsOpaque && v.Type == ValType.V128);
                if (!v128 && Lookup(invoke) is { } func)
                {
                    var type = func.Type;
                    v128 = type.Parameters.Contains(ValKind.V128) || type.Results.Contains(ValKind.V128);
                }
            }
            else if (!v128 && action is WastGet get && Lookup(get) is { } global)
            {
                v128 = global.Value.Kind == ValKind.V128;
            }
            if (v128) throw new SkipException("v128 values are not supported by the runner yet");
        }

        private Func? Lookup(WastInvoke invoke) => TryResolve(invoke.ModuleName)?.GetFunction(invoke.Field);

        private Global? Lookup(WastGet get) => TryResolve(get.ModuleName)?.GetGlobal(get.Field);

        private Instance? TryResolve(string? name) =>
            name is null ? _current : _named.GetValueOrDefault(name);

        private Val ToVal(WastValue value)
        {
            if (value.IsOpaque) throw new SkipException($"component value {value.OpaqueText}");
            return value.Type switch
            {
                ValType.I32 => Val.FromI32(value.I32),
                ValType.I64 => Val.FromI64(value.I64),
                ValType.F32 => Val.FromF32Bits(value.F32Bits),
                ValType.F64 => Val.FromF64Bits(value.F64Bits),
                ValType.V128 => throw new SkipException("v128 values are not supported by the runner yet"),
                ValType.ExternRef => value.IsNull ? Val.Null(ValKind.ExternRef) : Val.FromExtern(HostRefOf(value.Low)),
                ValType.FuncRef => value.IsNull
                    ? Val.Null(ValKind.FuncRef)
                    : throw new FailException("a non-null funcref argument cannot be written in a script"),
                _ => throw new FailException($"unsupported argument type {value.Type.Name()}"),
            };
        }

        private HostRef HostRefOf(ulong n)
        {
            if (!_hostRefs.TryGetValue(n, out var r)) _hostRefs[n] = r = new HostRef(n);
            return r;
        }

        // ----- judgements -----

        private static void CheckResults(Val[] actual, WastValue[] expected)
        {
            if (actual.Length != expected.Length)
            {
                throw new FailException($"expected {expected.Length} result(s) ({Format(expected)}), got {actual.Length} ({Format(actual)})");
            }
            for (int i = 0; i < expected.Length; i++)
            {
                if (!Matches(actual[i], expected[i]))
                {
                    throw new FailException(expected.Length == 1
                        ? $"expected {expected[i]}, got {Format(actual[i])}"
                        : $"result {i}: expected {expected[i]}, got {Format(actual[i])} (all: expected {Format(expected)}, got {Format(actual)})");
                }
            }
        }

        private static bool Matches(Val actual, WastValue expected)
        {
            if (expected.IsOpaque) throw new SkipException($"component value {expected.OpaqueText}");
            if (actual.Kind != ValKinds.FromValType(expected.Type)) return false;
            switch (expected.Type)
            {
                case ValType.I32 or ValType.I64 or ValType.F32 or ValType.F64:
                {
                    Span<byte> slot = stackalloc byte[16];
                    slot.Clear();
                    BinaryPrimitives.WriteInt64LittleEndian(slot, actual.RawBits);
                    return expected.MatchesNumeric(slot);
                }
                case ValType.ExternRef:
                {
                    object? o = actual.AsExtern();
                    if (expected.IsNull) return o is null;
                    if (expected.IsAnyRef) return o is not null;
                    return o is HostRef r && r.Value == expected.Low;
                }
                case ValType.FuncRef:
                {
                    // ref.func with an index cannot be resolved to a function through the public API: any non-null matches.
                    bool isNull = actual.IsNull;
                    return expected.IsNull ? isNull : !isNull;
                }
                default:
                    throw new SkipException($"{expected.Type.Name()} results are not compared by the runner yet");
            }
        }

        private static void ExpectTrap(Action action, string expected, bool exhaustion)
        {
            try
            {
                action();
            }
            catch (TrapException e)
            {
                if (exhaustion && e.Code == TrapCode.StackOverflow) return;
                if (TrapTextMatches(e.Message, expected)) return;
                throw new FailException($"expected trap \"{expected}\", got trap \"{e.Message.Split('\n')[0]}\" ({e.Code})");
            }
            throw new FailException($"expected trap \"{expected}\", but nothing trapped");
        }

        /// <summary>
        /// Our message (without the <c>wasm trap: </c> prefix) contains the expected text, or the expected text starts
        /// with our message.
        /// </summary>
        internal static bool TrapTextMatches(string actual, string expected)
        {
            const string Prefix = "wasm trap: ";
            int newline = actual.IndexOf('\n');
            if (newline >= 0) actual = actual[..newline];   // the backtrace follows the description
            string ours = actual.StartsWith(Prefix, StringComparison.Ordinal) ? actual[Prefix.Length..] : actual;
            return ours.Contains(expected, StringComparison.Ordinal)
                || (ours.Length > 0 && expected.StartsWith(ours, StringComparison.Ordinal));
        }

        private static string Format(Val v) => v.Kind switch
        {
            ValKind.I32 => $"i32:{v.AsI32()}",
            ValKind.I64 => $"i64:{v.AsI64()}",
            ValKind.F32 => $"f32:0x{(uint)v.RawBits:x8}",
            ValKind.F64 => $"f64:0x{(ulong)v.RawBits:x16}",
            ValKind.ExternRef => v.IsNull ? "externref:null" : v.AsExtern() is HostRef r ? $"externref:{r.Value}" : "externref:<host object>",
            ValKind.FuncRef => v.IsNull ? "funcref:null" : "funcref:<function>",
            _ => v.ToString(),
        };

        private static string PrintValue(Val v) => v.Kind switch
        {
            ValKind.I32 => v.AsI32().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ValKind.I64 => v.AsI64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ValKind.F32 => v.AsF32().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            ValKind.F64 => v.AsF64().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            _ => Format(v),
        };

        private static string Format(IEnumerable<Val> values) => string.Join(" ", values.Select(Format));

        private static string Format(IEnumerable<WastValue> values) => string.Join(" ", values.Select(v => v.ToString()));

        // ----- spectest -----

        private void DefineSpectest()
        {
            DefinePrint("print");
            DefinePrint("print_i32", ValKind.I32);
            DefinePrint("print_i64", ValKind.I64);
            DefinePrint("print_f32", ValKind.F32);
            DefinePrint("print_f64", ValKind.F64);
            DefinePrint("print_i32_f32", ValKind.I32, ValKind.F32);
            DefinePrint("print_f64_f64", ValKind.F64, ValKind.F64);
            _linker.Define("spectest", "global_i32", new Global(_store, ValKind.I32, false, Val.FromI32(666)));
            _linker.Define("spectest", "global_i64", new Global(_store, ValKind.I64, false, Val.FromI64(666)));
            _linker.Define("spectest", "global_f32", new Global(_store, ValKind.F32, false, Val.FromF32(666.6f)));
            _linker.Define("spectest", "global_f64", new Global(_store, ValKind.F64, false, Val.FromF64(666.6)));
            _linker.Define("spectest", "table", new Table(_store, ValKind.FuncRef, 10, 20, Val.Null(ValKind.FuncRef)));
            _linker.Define("spectest", "memory", new Memory(_store, 1, 2));
        }

        private void DefinePrint(string name, params ValKind[] parameters)
        {
            var print = _print;
            var type = new FunctionType(parameters, []);
            var func = Func.FromCallback(_store, type, (_, args, _) =>
            {
                if (print is null) return;
                // As the reference interpreter prints: "42 : i32", one line per argument.
                foreach (var arg in args) print.WriteLine($"{PrintValue(arg)} : {ValKinds.Name(arg.Kind)}");
            });
            _linker.Define("spectest", name, func);
        }
    }
}
