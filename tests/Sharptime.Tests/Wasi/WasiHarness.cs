using System.Text;
using Sharptime.Wasi;

namespace Sharptime.Tests.Wasi;

/// <summary>
/// Calls WASI functions one at a time with raw guest pointers: a module that re-exports every
/// <c>wasi_snapshot_preview1</c> import under the same name, with a one-page exported memory.
/// </summary>
internal sealed class WasiHarness : IDisposable
{
    /// <summary>Lowered core signatures: i = i32, l = i64; every function returns an i32 errno except proc_exit.</summary>
    private static readonly (string Name, string Params)[] Signatures =
    [
        ("args_get", "ii"), ("args_sizes_get", "ii"), ("environ_get", "ii"), ("environ_sizes_get", "ii"),
        ("clock_res_get", "ii"), ("clock_time_get", "ili"), ("fd_advise", "illi"), ("fd_allocate", "ill"),
        ("fd_close", "i"), ("fd_datasync", "i"), ("fd_fdstat_get", "ii"), ("fd_fdstat_set_flags", "ii"),
        ("fd_fdstat_set_rights", "ill"), ("fd_filestat_get", "ii"), ("fd_filestat_set_size", "il"),
        ("fd_filestat_set_times", "illi"), ("fd_pread", "iiili"), ("fd_prestat_get", "ii"), ("fd_prestat_dir_name", "iii"),
        ("fd_pwrite", "iiili"), ("fd_read", "iiii"), ("fd_readdir", "iiili"), ("fd_renumber", "ii"), ("fd_seek", "ilii"),
        ("fd_sync", "i"), ("fd_tell", "ii"), ("fd_write", "iiii"), ("path_create_directory", "iii"),
        ("path_filestat_get", "iiiii"), ("path_filestat_set_times", "iiiilli"), ("path_link", "iiiiiii"),
        ("path_open", "iiiiillii"), ("path_readlink", "iiiiii"), ("path_remove_directory", "iii"),
        ("path_rename", "iiiiii"), ("path_symlink", "iiiii"), ("path_unlink_file", "iii"), ("poll_oneoff", "iiii"),
        ("proc_exit", "i"), ("proc_raise", "i"), ("sched_yield", ""), ("random_get", "ii"), ("sock_accept", "iii"),
        ("sock_recv", "iiiiii"), ("sock_send", "iiiii"), ("sock_shutdown", "ii"),
    ];

    private static readonly Lazy<Module> Forwarder = new(() =>
    {
        var wat = new StringBuilder("(module\n");
        foreach (var (name, ps) in Signatures)
        {
            string p = string.Concat(ps.Select(c => c == 'i' ? " i32" : " i64"));
            string r = name == "proc_exit" ? "" : " (result i32)";
            wat.Append($"  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param{p}){r}))\n");
        }
        wat.Append("  (memory (export \"memory\") 1)\n");
        foreach (var (name, ps) in Signatures)
        {
            string p = string.Concat(ps.Select(c => c == 'i' ? " i32" : " i64"));
            string r = name == "proc_exit" ? "" : " (result i32)";
            string gets = string.Concat(Enumerable.Range(0, ps.Length).Select(i => $" local.get {i}"));
            wat.Append($"  (func (export \"{name}\") (param{p}){r}{gets} call ${name})\n");
        }
        wat.Append(')');
        return Module.FromText(Embedding.Wasm.Engine, wat.ToString());
    });

    public WasiHarness(WasiConfig config)
    {
        Context = new WasiContext(config);
        Store = new Store<WasiContext>(Embedding.Wasm.Engine, Context);
        var linker = new Linker<WasiContext>(Embedding.Wasm.Engine);
        linker.AddWasi();
        Instance = linker.Instantiate(Store, Forwarder.Value);
        Memory = Instance.GetMemory("memory")!;
    }

    public WasiContext Context { get; }
    public Store<WasiContext> Store { get; }
    public Instance Instance { get; }
    public Memory Memory { get; }

    /// <summary>The first preopen's descriptor.</summary>
    public const int Preopen = 3;

    /// <summary>Calls <paramref name="name"/>; returns its errno.</summary>
    public WasiErrno Call(string name, params long[] args)
    {
        var func = Instance.GetFunction(name)!;
        var kinds = func.Type.Parameters;
        var vals = new Val[args.Length];
        for (int i = 0; i < args.Length; i++) vals[i] = kinds[i] == ValKind.I64 ? Val.FromI64(args[i]) : Val.FromI32((int)args[i]);
        return (WasiErrno)func.Call(vals)[0].AsI32();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 at <paramref name="address"/>; returns its length.</summary>
    public int Put(int address, string text) => Memory.WriteString(address, text);

    /// <summary>path_open relative to <paramref name="dirFd"/>; the new descriptor (or -1) and the errno.</summary>
    public (WasiErrno Errno, int Fd) Open(string path, int oflags = 0, long rights = ReadRights, int dirFd = Preopen, int lookup = 1, int fdflags = 0)
    {
        int len = Put(1024, path);
        var errno = Call("path_open", dirFd, lookup, 1024, len, oflags, rights, rights, fdflags, 16);
        return (errno, errno == WasiErrno.Success ? Memory.ReadInt32(16) : -1);
    }

    public const long ReadRights = (1 << 1) | (1 << 2) | (1 << 5) | (1 << 14) | (1 << 21) | (1 << 13) | (1 << 18);
    public const long WriteRights = ReadRights | (1 << 6) | (1 << 22);
    public const int Creat = 1, Directory = 2, Excl = 4, Trunc = 8;

    public void Dispose()
    {
        Store.Dispose();
        Context.Dispose();
    }
}
