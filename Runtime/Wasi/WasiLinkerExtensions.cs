using Sharptime;

namespace Sharptime.Wasi;

/// <summary>Defines the <c>wasi_snapshot_preview1</c> functions in a <see cref="Linker{T}"/>.</summary>
public static class WasiLinkerExtensions
{
    /// <summary>The import module name of WASI preview 1.</summary>
    public const string Module = "wasi_snapshot_preview1";

    private static readonly FunctionType PathOpenType = new(
        [ValKind.I32, ValKind.I32, ValKind.I32, ValKind.I32, ValKind.I32, ValKind.I64, ValKind.I64, ValKind.I32, ValKind.I32],
        [ValKind.I32]);

    /// <summary>
    /// Defines every <c>wasi_snapshot_preview1</c> function in <paramref name="linker"/>. Each call finds its
    /// <see cref="WasiContext"/> with <paramref name="select"/> applied to the store's data, and the guest's memory as
    /// the calling instance's export <c>memory</c>. A failing call returns its errno; <c>proc_exit</c> throws
    /// <see cref="WasiExitException"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A WASI name is already defined and shadowing is off.</exception>
    public static void AddWasi<T>(this Linker<T> linker, System.Func<T, WasiContext> select)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(select);
        // Failures travel as WasiError from deep inside a call and become the returned errno here, at the boundary;
        // any other exception is a host bug or proc_exit and propagates to the embedder unchanged.
        linker.DefineFunction(Module, "args_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).ArgsGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "args_sizes_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).ArgsSizesGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "environ_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).EnvironGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "environ_sizes_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).EnvironSizesGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "clock_res_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).ClockResGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "clock_time_get", (Caller c, int a0, long a1, int a2) =>
        {
            try { return Context(c, select).ClockTimeGet(Memory(c), a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_advise", (Caller c, int a0, long a1, long a2, int a3) =>
        {
            try { return Context(c, select).FdAdvise(a0, a1, a2, a3); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_allocate", (Caller c, int a0, long a1, long a2) =>
        {
            try { return Context(c, select).FdAllocate(a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_close", (Caller c, int a0) =>
        {
            try { return Context(c, select).FdClose(a0); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_datasync", (Caller c, int a0) =>
        {
            try { return Context(c, select).FdSync(a0, true); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_fdstat_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).FdFdstatGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_fdstat_set_flags", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).FdFdstatSetFlags(a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_fdstat_set_rights", (Caller c, int a0, long a1, long a2) =>
        {
            try { return Context(c, select).FdFdstatSetRights(a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_filestat_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).FdFilestatGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_filestat_set_size", (Caller c, int a0, long a1) =>
        {
            try { return Context(c, select).FdFilestatSetSize(a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_filestat_set_times", (Caller c, int a0, long a1, long a2, int a3) =>
        {
            try { return Context(c, select).FdFilestatSetTimes(a0, a1, a2, a3); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_pread", (Caller c, int a0, int a1, int a2, long a3, int a4) =>
        {
            try { return Context(c, select).FdPread(Memory(c), a0, a1, a2, a3, a4); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_prestat_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).FdPrestatGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_prestat_dir_name", (Caller c, int a0, int a1, int a2) =>
        {
            try { return Context(c, select).FdPrestatDirName(Memory(c), a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_pwrite", (Caller c, int a0, int a1, int a2, long a3, int a4) =>
        {
            try { return Context(c, select).FdPwrite(Memory(c), a0, a1, a2, a3, a4); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_read", (Caller c, int a0, int a1, int a2, int a3) =>
        {
            try { return Context(c, select).FdRead(Memory(c), a0, a1, a2, a3); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_readdir", (Caller c, int a0, int a1, int a2, long a3, int a4) =>
        {
            try { return Context(c, select).FdReaddir(Memory(c), a0, a1, a2, a3, a4); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_renumber", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).FdRenumber(a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_seek", (Caller c, int a0, long a1, int a2, int a3) =>
        {
            try { return Context(c, select).FdSeek(Memory(c), a0, a1, a2, a3); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_sync", (Caller c, int a0) =>
        {
            try { return Context(c, select).FdSync(a0, false); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_tell", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).FdTell(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "fd_write", (Caller c, int a0, int a1, int a2, int a3) =>
        {
            try { return Context(c, select).FdWrite(Memory(c), a0, a1, a2, a3); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_create_directory", (Caller c, int a0, int a1, int a2) =>
        {
            try { return Context(c, select).PathCreateDirectory(Memory(c), a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_filestat_get", (Caller c, int a0, int a1, int a2, int a3, int a4) =>
        {
            try { return Context(c, select).PathFilestatGet(Memory(c), a0, a1, a2, a3, a4); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_filestat_set_times", (Caller c, int a0, int a1, int a2, int a3, long a4, long a5, int a6) =>
        {
            try { return Context(c, select).PathFilestatSetTimes(Memory(c), a0, a1, a2, a3, a4, a5, a6); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_link", (Caller c, int a0, int a1, int a2, int a3, int a4, int a5, int a6) =>
        {
            try { return Context(c, select).PathLink(Memory(c), a0, a1, a2, a3, a4, a5, a6); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_readlink", (Caller c, int a0, int a1, int a2, int a3, int a4, int a5) =>
        {
            try { return Context(c, select).PathReadlink(Memory(c), a0, a1, a2, a3, a4, a5); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_remove_directory", (Caller c, int a0, int a1, int a2) =>
        {
            try { return Context(c, select).PathRemoveDirectory(Memory(c), a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_rename", (Caller c, int a0, int a1, int a2, int a3, int a4, int a5) =>
        {
            try { return Context(c, select).PathRename(Memory(c), a0, a1, a2, a3, a4, a5); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_symlink", (Caller c, int a0, int a1, int a2, int a3, int a4) =>
        {
            try { return Context(c, select).PathSymlink(Memory(c), a0, a1, a2, a3, a4); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "path_unlink_file", (Caller c, int a0, int a1, int a2) =>
        {
            try { return Context(c, select).PathUnlinkFile(Memory(c), a0, a1, a2); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "poll_oneoff", (Caller c, int a0, int a1, int a2, int a3) =>
        {
            try { return Context(c, select).PollOneoff(Memory(c), a0, a1, a2, a3); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "random_get", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).RandomGet(Memory(c), a0, a1); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "sched_yield", (Caller c) =>
        {
            try { return WasiContext.SchedYield(); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        // Signals cannot be delivered to a wasm program; the witx marks proc_raise as deprecated.
        linker.DefineFunction(Module, "proc_raise", (Caller c, int a0) =>
        {
            Context(c, select);
            return (int)WasiErrno.NoSys;
        });
        linker.DefineFunction(Module, "sock_accept", (Caller c, int a0, int a1, int a2) =>
        {
            try { return Context(c, select).NotASocket(a0); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "sock_recv", (Caller c, int a0, int a1, int a2, int a3, int a4, int a5) =>
        {
            try { return Context(c, select).NotASocket(a0); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "sock_send", (Caller c, int a0, int a1, int a2, int a3, int a4) =>
        {
            try { return Context(c, select).NotASocket(a0); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "sock_shutdown", (Caller c, int a0, int a1) =>
        {
            try { return Context(c, select).NotASocket(a0); }
            catch (WasiError e) { return (int)e.Errno; }
        });
        linker.DefineFunction(Module, "proc_exit", (Caller c, int code) =>
        {
            Context(c, select);
            throw new WasiExitException(code);
        });
        linker.DefineFunction(Module, "path_open", PathOpenType, (c, args, results) =>
        {
            int errno;
            try
            {
                errno = Context(c, select).PathOpen(Memory(c), args[0].AsI32(), args[1].AsI32(), args[2].AsI32(), args[3].AsI32(),
                    args[4].AsI32(), args[5].AsI64(), args[6].AsI64(), args[7].AsI32(), args[8].AsI32());
            }
            catch (WasiError e)
            {
                errno = (int)e.Errno;
            }
            results[0] = Val.FromI32(errno);
        });
    }

    /// <summary>Defines every <c>wasi_snapshot_preview1</c> function for stores whose data is the <see cref="WasiContext"/> itself.</summary>
    public static void AddWasi(this Linker<WasiContext> linker) => linker.AddWasi(static context => context);

    private static WasiContext Context<T>(Caller caller, System.Func<T, WasiContext> select) =>
        select(caller.GetData<T>()) ?? throw new InvalidOperationException("the store has no WASI context");

    private static Span<byte> Memory(Caller caller) =>
        (caller.GetMemory("memory") ?? throw new InvalidOperationException("a WASI module must export its memory as \"memory\""))
            .GetSpan();
}
