using Sharptime.Format;
using Sharptime.Vm;

namespace Sharptime;

/// <summary>
/// The shared context in which modules are decoded, validated and compiled. Create one per application and share it.
/// </summary>
/// <remarks>
/// Thread-safe: every member may be called from any thread, and modules and stores of one engine may be used on many
/// threads at once (each store by one thread at a time, see <see cref="Store"/>).
/// </remarks>
public sealed partial class Engine : IDisposable
{
    private readonly Dictionary<FuncType, int> _typeIds = [];
    private readonly List<FuncType> _types = [null!];
    private readonly Dictionary<int, CodeMemory> _exitTrampolines = [];
    private readonly Lock _lock = new();

    // The epoch counter, on the pinned object heap so compiled code can read it through a stable address (the
    // VMStoreContext's EpochPtr) while the GC runs; stores keep the engine, and so the array, alive.
    private readonly ulong[] _epoch = GC.AllocateArray<ulong>(1, pinned: true);

    /// <summary>Creates an engine with default settings.</summary>
    public Engine() : this(new Config()) { }

    /// <summary>Creates an engine with <paramref name="config"/>; later changes to the config do not affect the engine.</summary>
    public Engine(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.Clone();
        _trampolineLifetime = CodeLifetime.ForTrampolines(_exitTrampolines.Values);
    }

    /// <summary>
    /// Unmaps the exit trampolines once this engine is unreachable (so no store of it is). Not at <see cref="Dispose"/>:
    /// they are a page per host function type, and counting every store's use cost about 0.1 µs per store
    /// (bench/results/Pooling.md).
    /// </summary>
    private readonly CodeLifetime _trampolineLifetime;

    private int _disposed;

    /// <exception cref="ObjectDisposedException">The engine was disposed.</exception>
    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0) throw Disposed();
    }

    private ObjectDisposedException Disposed() =>
        new(nameof(Engine), "the engine was disposed; create stores and modules with an engine that is still alive");

    /// <summary>A copy of the settings this engine was created with.</summary>
    public Config Config { get; }

    /// <summary>The engine-wide canonical id (1 or more) of a function type. Thread-safe.</summary>
    internal int TypeId(FuncType type)
    {
        lock (_lock)
        {
            if (_typeIds.TryGetValue(type, out int id)) return id;
            id = _types.Count;
            _types.Add(type);
            _typeIds.Add(type, id);
            return id;
        }
    }

    /// <summary>The function type registered as <paramref name="id"/>.</summary>
    internal FuncType TypeOf(int id)
    {
        lock (_lock) return _types[id];
    }

    /// <summary>Address of the exit trampoline (wasm convention → host dispatcher) for type <paramref name="id"/>.</summary>
    internal nint ExitTrampoline(int id)
    {
        lock (_exitTrampolines)
        {
            if (!_exitTrampolines.TryGetValue(id, out var code))
            {
                var (bytes, unwind) = Compiler.X64.X64Trampolines.EmitExitTrampoline(TypeOf(id), Config.ConsumeFuel);
                code = new CodeMemory(bytes, Vm.Debugging.CodeImageDescription.ForExitTrampoline(bytes, unwind, $"sharptime!exit_trampoline[type{id}]", Config));
                _exitTrampolines.Add(id, code);
            }
            return code.Address;
        }
    }

    /// <summary>
    /// Decodes, validates and compiles a module (binary or text) into an artifact that <see cref="Module.Deserialize"/>
    /// and <see cref="Module.DeserializeFile"/> load without recompiling. The same input and settings give the same bytes.
    /// </summary>
    /// <exception cref="MalformedModuleException">The input cannot be decoded or parsed.</exception>
    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    public byte[] PrecompileModule(ReadOnlySpan<byte> bytes) => Module.Precompile(this, bytes);

    /// <summary>
    /// Whether <paramref name="bytes"/> look like a Sharptime artifact, and of which kind, judging by the ELF header
    /// only (no checksum or compatibility check): null for anything else, including plain wasm.
    /// </summary>
    public static Precompiled? DetectPrecompiled(ReadOnlySpan<byte> bytes) => Artifacts.ArtifactReader.Detect(bytes);

    /// <summary>
    /// Advances the epoch by one tick. Thread-safe and cheap (one atomic increment): call it from a timer or another
    /// thread. With <see cref="Config.EpochInterruption"/> on, wasm running in any store of this engine whose deadline
    /// (<see cref="Store.SetEpochDeadline"/>) is now reached stops at its next function entry or loop header.
    /// </summary>
    public void IncrementEpoch() => Interlocked.Increment(ref _epoch[0]);

    /// <summary>The current epoch (ticks since the engine was created).</summary>
    internal ulong CurrentEpoch => Volatile.Read(ref _epoch[0]);

    /// <summary>The epoch counter's native address; stable for the engine's lifetime (the array is pinned).</summary>
    internal unsafe nint EpochAddress => (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _epoch[0]);

    /// <summary>
    /// Releases the engine: no store or module can be created from it afterwards. Stores that already exist keep
    /// working; with pooling allocation the pools' address space is released when the last of them is disposed.
    /// Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        DisposeAllocator();
    }
}
