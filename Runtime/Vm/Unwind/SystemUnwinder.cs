using System.Runtime.InteropServices;

namespace Sharptime.Vm.Unwind;

/// <summary>
/// Registration of an image's <c>.eh_frame</c> with the process unwinder (libgcc's <c>__register_frame</c>), so that
/// <c>_Unwind_Backtrace</c>, C++ unwinding and tools that ask the process can step through wasm frames.
/// </summary>
/// <remarks>
/// libgcc_s's <c>__register_frame</c> takes a whole section ending in a zero terminator (LLVM libunwind's takes one
/// FDE; we only ever load libgcc_s). The section must stay mapped and unchanged until <see cref="Deregister"/>, and
/// every registration must be deregistered exactly once: newer libgcc aborts on deregistering an unknown section.
/// </remarks>
internal static unsafe class SystemUnwinder
{
    private static readonly delegate* unmanaged<nint, void> s_register;
    private static readonly delegate* unmanaged<nint, void> s_deregister;
    private static readonly delegate* unmanaged<nint, nint, nint> s_findFde;

    static SystemUnwinder()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libgcc_s.so.1", out nint library)) return;
        if (NativeLibrary.TryGetExport(library, "__register_frame", out nint register)
            && NativeLibrary.TryGetExport(library, "__deregister_frame", out nint deregister))
        {
            s_register = (delegate* unmanaged<nint, void>)register;
            s_deregister = (delegate* unmanaged<nint, void>)deregister;
        }
        if (NativeLibrary.TryGetExport(library, "_Unwind_Find_FDE", out nint find)) s_findFde = (delegate* unmanaged<nint, nint, nint>)find;
    }

    /// <summary>True when libgcc_s.so.1 provides the registration entry points.</summary>
    public static bool IsAvailable => s_register != null;

    /// <summary>Registers the section at <paramref name="ehFrame"/>; false (doing nothing) when the unwinder is unavailable.</summary>
    public static bool Register(nint ehFrame)
    {
        if (s_register == null || ehFrame == 0) return false;
        s_register(ehFrame);
        return true;
    }

    /// <summary>Undoes one successful <see cref="Register"/> of the same address.</summary>
    public static void Deregister(nint ehFrame)
    {
        if (s_deregister != null && ehFrame != 0) s_deregister(ehFrame);
    }

    /// <summary>The FDE the process unwinder finds for <paramref name="pc"/>, or 0 (libgcc's <c>_Unwind_Find_FDE</c>).</summary>
    public static nint FindFde(nint pc)
    {
        if (s_findFde == null) return 0;
        // struct dwarf_eh_bases { void* tbase, dbase, func; } — filled by the callee, unused here.
        nint* bases = stackalloc nint[3];
        return s_findFde(pc, (nint)bases);
    }
}
