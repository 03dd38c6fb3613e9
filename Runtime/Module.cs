using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Text;
using Sharptime.Validation;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>
/// A decoded and validated WebAssembly module. Immutable and thread-safe; create it once and share it.
/// </summary>
public sealed class Module
{
    private Module(Engine engine, ModuleInfo info, string? name)
    {
        Engine = engine;
        Info = info;
        Name = name ?? info.Names.ModuleName;
        var imports = new ModuleImport[info.Imports.Count];
        for (int i = 0; i < imports.Length; i++)
        {
            var import = info.Imports[i];
            var (functionType, typeText) = import.Kind switch
            {
                ExternKind.Func => (FunctionType.From(info.Types[(int)import.FunctionTypeIndex]), null),
                ExternKind.Table => (null, TypeText(import.Table)),
                ExternKind.Memory => (null, TypeText(import.Memory)),
                _ => ((FunctionType?)null, TypeText(import.Global)),
            };
            imports[i] = new ModuleImport(import.Module, import.Name, ToPublic(import.Kind))
            {
                FunctionType = functionType,
                Type = functionType?.ToString() ?? typeText!,
            };
        }
        Imports = imports;
        var exports = new ModuleExport[info.Exports.Count];
        for (int i = 0; i < exports.Length; i++)
        {
            var export = info.Exports[i];
            var functionType = export.Kind == ExternKind.Func ? FunctionType.From(info.FunctionType(export.Index)) : null;
            exports[i] = new ModuleExport(export.Name, ToPublic(export.Kind))
            {
                FunctionType = functionType,
                Type = export.Kind switch
                {
                    ExternKind.Func => functionType!.ToString(),
                    ExternKind.Table => TypeText(info.Tables[(int)export.Index]),
                    ExternKind.Memory => TypeText(info.Memories[(int)export.Index]),
                    _ => TypeText(info.Globals[(int)export.Index].Type),
                },
            };
        }
        Exports = exports;
        Layout = new VMContextLayout(info);
        _compiled = new Lazy<LoadedCode?>(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private readonly Lazy<LoadedCode?> _compiled;

    /// <summary>The VMContext layout of this module's instances.</summary>
    internal VMContextLayout Layout { get; }

    /// <summary>The module's machine code, compiled on first use; null when it defines no functions.</summary>
    internal LoadedCode? Compiled => _compiled.Value;

    private LoadedCode? Compile()
    {
        if (Layout.DefinedFunctionCount == 0) return null;
        var compiled = ModuleCompiler.Compile(Info, Layout, Engine.Config.GenerateAddressMap, Engine.Config.UncheckedAccessLimit);
        var image = Vm.Debugging.CodeImageDescription.ForModule(compiled, Info, Name, Engine.Config);
        var loaded = new LoadedCode(compiled, new CodeMemory(compiled.Code, image), Info, Name);
        CodeRegistry.Register(loaded);
        return loaded;
    }

    internal static string TypeText(WasmTableType t) =>
        $"(table {t.Limits.Min}{(t.Limits.Max is { } m ? $" {m}" : "")} {t.ElementType.Name()})";

    internal static string TypeText(WasmMemoryType t) =>
        $"(memory {t.Limits.Min}{(t.Limits.Max is { } m ? $" {m}" : "")})";

    internal static string TypeText(WasmGlobalType t) =>
        t.Mutable ? $"(global (mut {t.Type.Name()}))" : $"(global {t.Type.Name()})";

    /// <summary>The engine this module belongs to.</summary>
    public Engine Engine { get; }

    /// <summary>The module's name: the one given when it was created, else the name section's, else null.</summary>
    public string? Name { get; }

    /// <summary>The imports the module requires, in declaration order.</summary>
    public IReadOnlyList<ModuleImport> Imports { get; }

    /// <summary>The module's exports, in declaration order.</summary>
    public IReadOnlyList<ModuleExport> Exports { get; }

    internal ModuleInfo Info { get; }

    /// <summary>Decodes and validates a module from its binary encoding, or from text when the bytes are not binary wasm.</summary>
    /// <exception cref="MalformedModuleException">The input cannot be decoded or parsed.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public static Module FromBytes(Engine engine, ReadOnlySpan<byte> bytes, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (!LooksBinary(bytes)) return FromText(engine, DecodeUtf8Text(bytes), name);
        var copy = bytes.ToArray();
        return new Module(engine, WasmFrontEnd.DecodeAndValidate(copy), name);
    }

    /// <summary>Parses a module in the WebAssembly text format (WAT), then decodes and validates it.</summary>
    /// <exception cref="MalformedModuleException">The text cannot be parsed; the exception has the line and column.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public static Module FromText(Engine engine, string text, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(text);
        var binary = Wat.ToBinary(text, name);
        return new Module(engine, WasmFrontEnd.DecodeAndValidate(binary), name);
    }

    /// <summary>Loads a module from a <c>.wasm</c> or <c>.wat</c> file (the content decides which).</summary>
    public static Module FromFile(Engine engine, string path)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var bytes = File.ReadAllBytes(path);
        var name = System.IO.Path.GetFileNameWithoutExtension(path);
        return LooksBinary(bytes)
            ? new Module(engine, WasmFrontEnd.DecodeAndValidate(bytes), name)
            : new Module(engine, WasmFrontEnd.DecodeAndValidate(Wat.ToBinary(DecodeUtf8Text(bytes), path)), name);
    }

    /// <summary>Encodes a module in the WebAssembly text format (WAT) as a binary module, without validating it.</summary>
    /// <param name="text">The module text.</param>
    /// <param name="fileName">Name used in error locations.</param>
    /// <exception cref="MalformedModuleException">The text cannot be parsed; the exception has the line and column.</exception>
    public static byte[] ConvertText(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Wat.ToBinary(text, fileName);
    }

    /// <summary>Checks a binary module without keeping it.</summary>
    /// <returns>null when the module is valid, else the reason it is malformed or invalid.</returns>
    public static string? Validate(Engine engine, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        try
        {
            WasmFrontEnd.DecodeAndValidate(bytes.ToArray());
            return null;
        }
        catch (WasmException e)
        {
            return e.Message;
        }
    }

    // Text never starts with NUL, so a leading zero byte means binary even when the rest of the magic is wrong.
    private static bool LooksBinary(ReadOnlySpan<byte> bytes) => !bytes.IsEmpty && bytes[0] == 0x00;

    private static string DecodeUtf8Text(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException e)
        {
            throw new MalformedModuleException($"text is not valid UTF-8 ({e.Message})", null, 1, 1);
        }
    }

    private static ExternalKind ToPublic(ExternKind kind) => kind switch
    {
        ExternKind.Func => ExternalKind.Function,
        ExternKind.Table => ExternalKind.Table,
        ExternKind.Memory => ExternalKind.Memory,
        _ => ExternalKind.Global,
    };
}
