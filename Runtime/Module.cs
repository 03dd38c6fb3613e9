using Sharptime.Artifacts;
using Sharptime.Compiler;
using Sharptime.Format;
using Sharptime.Text;
using Sharptime.Validation;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>
/// A decoded and validated WebAssembly module. Immutable and thread-safe; create it once and share it.
/// </summary>
/// <remarks>
/// Any number of threads may instantiate one module at the same time, each into its own store. Its machine code and
/// memory images are built on first use, exactly once even when that first use happens on many threads at once.
/// <para>
/// The machine code is native memory. <see cref="Dispose"/> gives it back as soon as no store uses it any more: stores
/// that instantiated the module keep its code until they are disposed themselves. A module that is never disposed is
/// freed by the garbage collector once nothing references it.
/// </para>
/// </remarks>
public sealed class Module : IDisposable
{
    private Module(Engine engine, ModuleInfo info, string? name, LoadedArtifact? artifact = null)
    {
        engine.ThrowIfDisposed();
        Engine = engine;
        Info = info;
        Name = artifact is not null ? artifact.Name : name ?? info.Names.ModuleName;
        _artifact = artifact;
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
        if (artifact is not null)
        {
            _codeLifetime = CodeLifetime.ForModule(artifact.Code, artifact.File);
            _compiled = new Lazy<LoadedCode?>(artifact.Code);
            _memoryImages = new Lazy<Vm.MemoryImages.MemoryImageSet?>(artifact.MemoryImages);
        }
        else
        {
            _codeLifetime = CodeLifetime.ForModule(null, null);
            _compiled = new Lazy<LoadedCode?>(Compile, LazyThreadSafetyMode.ExecutionAndPublication);
            _memoryImages = new Lazy<Vm.MemoryImages.MemoryImageSet?>(() => Vm.MemoryImages.MemoryImageSet.ForModule(Info, Name), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    private readonly Lazy<Vm.MemoryImages.MemoryImageSet?> _memoryImages;

    /// <summary>The images this module's memories start from, built (and written to a memfd) on first use; null when none.</summary>
    internal Vm.MemoryImages.MemoryImageSet? MemoryImages => _memoryImages.Value;

    private readonly Lazy<LoadedCode?> _compiled;

    /// <summary>Unmaps the code (and the artifact file) once neither this module nor a store uses it.</summary>
    private readonly CodeLifetime _codeLifetime;

    private int _disposed;

    /// <summary>The mapped artifact this module was loaded from; null for modules compiled in this process.</summary>
    private readonly LoadedArtifact? _artifact;

    /// <summary>The VMContext layout of this module's instances.</summary>
    internal VMContextLayout Layout { get; }

    /// <summary>The module's machine code, compiled on first use; null when it defines no functions.</summary>
    internal LoadedCode? Compiled => _compiled.Value;

    private LoadedCode? Compile()
    {
        if (Layout.DefinedFunctionCount == 0) return null;
        var compiled = ModuleCompiler.Compile(Info, Layout, Engine.Config);
        var image = Vm.Debugging.CodeImageDescription.ForModule(compiled, Info, Name, Engine.Config);
        var loaded = new LoadedCode(compiled, new CodeMemory(compiled.Code, image), Info, Name);
        CodeRegistry.Register(loaded);
        _codeLifetime.Attach(loaded);
        return loaded;
    }

    /// <summary>
    /// A reference to the module's code for as long as the lease is held (a store holds it until it is disposed).
    /// Take it before touching <see cref="Compiled"/>: the code of a disposed module may already be unmapped.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The module was disposed.</exception>
    internal CodeLifetime.Lease AcquireCode() =>
        Volatile.Read(ref _disposed) == 0 && _codeLifetime.TryAcquire() is { } lease
            ? lease
            : throw new ObjectDisposedException(nameof(Module), $"module {Name ?? "(unnamed)"} was disposed; it can no longer be instantiated or serialized");

    /// <summary>
    /// Releases the module's machine code (and, for a deserialized module, its artifact mapping) once no store uses it:
    /// instances already created keep working until their stores are disposed. Afterwards the module can no longer be
    /// instantiated or serialized; its imports and exports stay readable. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _codeLifetime.Release();
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
        return new Module(engine, DecodeAndValidate(bytes, name), name);
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

    /// <summary>
    /// The module's compiled form as an artifact (an ELF image; see <see cref="Deserialize"/>), compiling it first if
    /// needed. A module loaded from an artifact returns that artifact's bytes unchanged, with the settings it was
    /// compiled with.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The module was disposed.</exception>
    public byte[] Serialize()
    {
        using var code = AcquireCode();
        if (_artifact is not null) return _artifact.File.Span.ToArray();
        return ArtifactWriter.WriteModule(Compiled?.Compiled, Info, Name, EngineMetadata.For(Engine.Config), Engine.Config);
    }

    /// <summary>
    /// Loads a module from an artifact made by <see cref="Engine.PrecompileModule"/> or <see cref="Serialize"/>, without
    /// decoding, validating or compiling anything. The bytes are copied once, into an in-memory file that is then mapped
    /// like <see cref="DeserializeFile"/> maps a file.
    /// </summary>
    /// <remarks>
    /// <b>An artifact is native code.</b> Its checksum detects accidental corruption, and every table in it is
    /// bounds-checked, but nothing can tell a deliberately forged artifact from a genuine one: loading it runs whatever
    /// machine code it holds with the rights of this process. Only deserialize artifacts you produced or otherwise
    /// trust as you would a native library.
    /// </remarks>
    /// <exception cref="InvalidArtifactException">The bytes are not an artifact, or are truncated or corrupted.</exception>
    /// <exception cref="ArtifactMismatchException">The artifact was made by another Sharptime version, for another target,
    /// or with a setting that changes generated code and differs from this engine's.</exception>
    public static Module Deserialize(Engine engine, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        engine.ThrowIfDisposed();
        if (bytes.IsEmpty) throw new InvalidArtifactException("the input is empty");
        return FromArtifact(engine, MappedArtifactFile.FromBytes(bytes));
    }

    /// <summary>
    /// Loads a module from an artifact file by mapping it: the text is made executable where it lies in the mapping
    /// and memory images are mapped copy-on-write from the file, so nothing is copied or recompiled. On a noexec mount
    /// the text cannot run where it lies and is copied into private executable memory instead. The file should not be
    /// modified while the module is in use.
    /// </summary>
    /// <remarks>The same trust warning as <see cref="Deserialize"/> applies: an artifact is native code.</remarks>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidArtifactException">The file is not an artifact, or is truncated or corrupted.</exception>
    /// <exception cref="ArtifactMismatchException">As for <see cref="Deserialize"/>.</exception>
    public static Module DeserializeFile(Engine engine, string path)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(path);
        engine.ThrowIfDisposed();
        return FromArtifact(engine, MappedArtifactFile.Open(path));
    }

    private static Module FromArtifact(Engine engine, MappedArtifactFile file)
    {
        var artifact = ArtifactLoader.Load(engine, file);
        return new Module(engine, artifact.Info, artifact.Name, artifact);
    }

    /// <summary>Decodes, validates and compiles a module (binary or text), returning its artifact without loading the code.</summary>
    internal static byte[] Precompile(Engine engine, ReadOnlySpan<byte> bytes, string? name = null)
    {
        var info = DecodeAndValidate(bytes, name);
        var layout = new VMContextLayout(info);
        var compiled = layout.DefinedFunctionCount == 0 ? null : ModuleCompiler.Compile(info, layout, engine.Config);
        return ArtifactWriter.WriteModule(compiled, info, name ?? info.Names.ModuleName, EngineMetadata.For(engine.Config), engine.Config);
    }

    /// <summary>Binary or text (as <see cref="FromBytes"/> tells them apart), decoded and validated.</summary>
    private static ModuleInfo DecodeAndValidate(ReadOnlySpan<byte> bytes, string? name) =>
        WasmFrontEnd.DecodeAndValidate(LooksBinary(bytes) ? bytes.ToArray() : Wat.ToBinary(DecodeUtf8Text(bytes), name));

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
