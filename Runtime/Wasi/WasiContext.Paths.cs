using System.Text;

namespace Sharptime.Wasi;

public sealed partial class WasiContext
{
    /// <summary>
    /// A path resolved inside the sandbox to a host directory descriptor and one final component that is not a
    /// symlink to follow. Disposing closes the descriptors opened while walking.
    /// </summary>
    private readonly struct Resolved(int dir, string name, bool trailingSlash, int[]? owned) : IDisposable
    {
        public int Dir { get; } = dir;
        public string Name { get; } = name;

        /// <summary>The guest wrote a trailing '/', so the final component must be a directory.</summary>
        public bool TrailingSlash { get; } = trailingSlash;

        public void Dispose()
        {
            if (owned is null) return;
            foreach (int fd in owned) LibC.CloseQuietly(fd);
        }
    }

    private const int MaxSymlinks = 40;

    /// <summary>
    /// Walks <paramref name="path"/> from <paramref name="start"/> one component at a time. The kernel only ever sees
    /// single names relative to a descriptor we hold, and <c>..</c> pops our own stack of descriptors instead of
    /// asking the kernel, so neither <c>..</c>, absolute paths, symlinks (whoever made them) nor a directory renamed
    /// during the call can lead outside the directory <paramref name="start"/> stands for.
    /// </summary>
    private static Resolved Resolve(OsEntry start, string path, bool followFinal)
    {
        if (path.Length == 0) throw new WasiError(WasiErrno.NoEnt);
        if (path[0] == '/') throw new WasiError(WasiErrno.NotCapable);
        var stack = new List<int> { start.Handle };
        var pending = new Stack<string>();
        Push(pending, path);
        bool trailing = path[^1] == '/';
        int links = 0;
        try
        {
            while (pending.Count > 0)
            {
                string component = pending.Pop();
                bool last = pending.Count == 0;
                int top = stack[^1];
                if (component == ".")
                {
                    if (last) return Make(stack, ".", trailing);
                    continue;
                }
                if (component == "..")
                {
                    if (stack.Count == 1) throw new WasiError(WasiErrno.NotCapable);
                    LibC.CloseQuietly(top);
                    stack.RemoveAt(stack.Count - 1);
                    if (last) return Make(stack, ".", trailing);
                    continue;
                }
                if (last && !followFinal && !trailing) return Make(stack, component, trailing);
                if (LibC.FStatAt(top, component, out var st, LibC.AT_SYMLINK_NOFOLLOW) != 0)
                {
                    if (last && LibC.Errno == LibC.ENOENT) return Make(stack, component, trailing);
                    throw HostError();
                }
                int kind = (int)st.Mode & LibC.S_IFMT;
                if (kind == LibC.S_IFLNK)
                {
                    if (++links > MaxSymlinks) throw new WasiError(WasiErrno.Loop);
                    string target = ReadLink(top, component);
                    if (target.Length == 0) throw new WasiError(WasiErrno.NoEnt);
                    if (target[0] == '/') throw new WasiError(WasiErrno.NotCapable);
                    if (last && target[^1] == '/') trailing = true;
                    Push(pending, target);
                    if (pending.Count == 0) pending.Push(".");
                    continue;
                }
                if (last) return Make(stack, component, trailing);
                if (kind != LibC.S_IFDIR) throw new WasiError(WasiErrno.NotDir);
                int fd = LibC.OpenAt(top, component, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0);
                if (fd < 0) throw HostError();
                stack.Add(fd);
            }
            return Make(stack, ".", trailing);
        }
        catch
        {
            for (int i = 1; i < stack.Count; i++) LibC.CloseQuietly(stack[i]);
            throw;
        }
    }

    private static void Push(Stack<string> pending, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = parts.Length - 1; i >= 0; i--) pending.Push(parts[i]);
    }

    private static Resolved Make(List<int> stack, string name, bool trailing) =>
        new(stack[^1], name, trailing, stack.Count > 1 ? stack.GetRange(1, stack.Count - 1).ToArray() : null);

    private static unsafe string ReadLink(int dir, string name)
    {
        const int Size = 4096;
        byte* buffer = stackalloc byte[Size];
        nint n = LibC.ReadLinkAt(dir, name, buffer, Size);
        if (n < 0) throw HostError();
        if (n >= Size) throw new WasiError(WasiErrno.NameTooLong);
        return Encoding.UTF8.GetString(buffer, (int)n);
    }
}
