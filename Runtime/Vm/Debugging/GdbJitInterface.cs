using System.Runtime.InteropServices;

namespace Sharptime.Vm.Debugging;

/// <summary>
/// The GDB JIT compilation interface: a linked list of in-memory symbol files, announced to an attached debugger by
/// calling <c>__jit_debug_register_code</c> after updating <c>__jit_debug_descriptor</c>. Without a debugger the
/// call is a plain <c>ret</c>. Thread-safe; entries and symbol files live in native memory until unregistered.
/// </summary>
internal static unsafe class GdbJitInterface
{
    private const uint NoAction = 0, RegisterAction = 1, UnregisterAction = 2;

    /// <summary><c>struct jit_code_entry</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct CodeEntry
    {
        public CodeEntry* Next;
        public CodeEntry* Previous;
        public byte* SymbolFile;
        public ulong SymbolFileSize;
    }

    /// <summary><c>struct jit_descriptor</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Descriptor
    {
        public uint Version;
        public uint ActionFlag;
        public CodeEntry* RelevantEntry;
        public CodeEntry* FirstEntry;
    }

    private static readonly Lock s_lock = new();
    private static Descriptor* s_descriptor;
    private static delegate* unmanaged<void> s_registerCode;
    private static string? s_libraryPath;

    /// <summary>Where the hook library was written, once loaded (for diagnostics).</summary>
    public static string? HookLibraryPath => s_libraryPath;

    /// <summary>Copies <paramref name="symbolFile"/> to native memory and announces it; returns the handle for <see cref="Unregister"/>.</summary>
    /// <exception cref="InvalidOperationException">The hook library could not be written or loaded.</exception>
    public static nint Register(ReadOnlySpan<byte> symbolFile)
    {
        lock (s_lock)
        {
            EnsureLoaded();
            var entry = (CodeEntry*)NativeMemory.AllocZeroed((nuint)sizeof(CodeEntry));
            entry->SymbolFile = (byte*)NativeMemory.Alloc((nuint)symbolFile.Length);
            entry->SymbolFileSize = (ulong)symbolFile.Length;
            symbolFile.CopyTo(new Span<byte>(entry->SymbolFile, symbolFile.Length));
            entry->Next = s_descriptor->FirstEntry;
            if (entry->Next != null) entry->Next->Previous = entry;
            s_descriptor->FirstEntry = entry;
            Announce(entry, RegisterAction);
            return (nint)entry;
        }
    }

    /// <summary>Unlinks and frees an entry from <see cref="Register"/>, telling the debugger first.</summary>
    public static void Unregister(nint handle)
    {
        if (handle == 0) return;
        lock (s_lock)
        {
            var entry = (CodeEntry*)handle;
            if (entry->Previous != null) entry->Previous->Next = entry->Next;
            else s_descriptor->FirstEntry = entry->Next;
            if (entry->Next != null) entry->Next->Previous = entry->Previous;
            Announce(entry, UnregisterAction);
            NativeMemory.Free(entry->SymbolFile);
            NativeMemory.Free(entry);
        }
    }

    /// <summary>Number of registered entries, walking the list the debugger walks.</summary>
    public static int CountEntries()
    {
        lock (s_lock)
        {
            if (s_descriptor == null) return 0;
            int n = 0;
            for (var e = s_descriptor->FirstEntry; e != null; e = e->Next) n++;
            return n;
        }
    }

    /// <summary>Symbol file bytes of every registered entry, newest first (what a debugger would read).</summary>
    public static List<byte[]> SnapshotSymbolFiles()
    {
        lock (s_lock)
        {
            var files = new List<byte[]>();
            if (s_descriptor == null) return files;
            for (var e = s_descriptor->FirstEntry; e != null; e = e->Next)
                files.Add(new ReadOnlySpan<byte>(e->SymbolFile, (int)e->SymbolFileSize).ToArray());
            return files;
        }
    }

    private static void Announce(CodeEntry* entry, uint action)
    {
        s_descriptor->RelevantEntry = entry;
        s_descriptor->ActionFlag = action;
        // A debugger has a breakpoint here and reads the descriptor while we are stopped.
        s_registerCode();
        s_descriptor->ActionFlag = NoAction;
        s_descriptor->RelevantEntry = null;
    }

    private static void EnsureLoaded()
    {
        if (s_descriptor != null) return;
        if (!OperatingSystem.IsLinux()) throw new InvalidOperationException("debug info for native debuggers (Config.DebugInfo) is only supported on Linux");
        var image = GdbJitHookLibrary.Build();
        var errors = new List<string>();
        foreach (var directory in CandidateDirectories())
        {
            string path = System.IO.Path.Combine(directory, $"sharptime-gdbjit-{Environment.ProcessId}-{Guid.NewGuid():N}.so");
            try
            {
                // CreateNew: never load a file someone else placed at this name.
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)) file.Write(image);
                nint library = NativeLibrary.Load(path);
                s_registerCode = (delegate* unmanaged<void>)NativeLibrary.GetExport(library, GdbJitHookLibrary.RegisterCodeSymbol);
                s_descriptor = (Descriptor*)NativeLibrary.GetExport(library, GdbJitHookLibrary.DescriptorSymbol);
                s_libraryPath = path;
                // Kept on disk while the process runs so a debugger attaching later can read its symbols.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(path);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
            {
                errors.Add($"{directory}: {e.Message}");
                TryDelete(path);
            }
        }
        throw new InvalidOperationException("could not load the GDB JIT hook library (" + string.Join("; ", errors) + ")");
    }

    private static IEnumerable<string> CandidateDirectories()
    {
        // A noexec temp directory makes dlopen fail; try the next one.
        yield return System.IO.Path.GetTempPath();
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime) yield return runtime;
        yield return AppContext.BaseDirectory;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
