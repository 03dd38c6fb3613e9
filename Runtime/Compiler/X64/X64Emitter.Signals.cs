namespace Sharptime.Compiler.X64;

/// <summary>The few instructions only the native signal handler needs (atomic counters, a raw system call).</summary>
internal sealed partial class X64Emitter
{
    /// <summary><c>lock inc qword [m]</c>.</summary>
    public void lock_inc(Mem m) => RM(0xF0, RexW, 0, 0xFF, 0, m);

    /// <summary><c>lock dec qword [m]</c>.</summary>
    public void lock_dec(Mem m) => RM(0xF0, RexW, 0, 0xFF, 1, m);

    /// <summary><c>syscall</c>: clobbers rcx and r11.</summary>
    public void syscall()
    {
        Reserve(2);
        Byte(0x0F);
        Byte(0x05);
    }
}
