namespace Sharptime.Vm;

/// <summary>Executable memory holding one text section: mapped read-write, filled, then made read-execute (W^X).</summary>
internal sealed class CodeMemory : IDisposable
{
    private nint _address;
    private readonly nuint _length;

    public CodeMemory(ReadOnlySpan<byte> code)
    {
        _length = NativeMethods.RoundUpToPage((nuint)Math.Max(code.Length, 1));
        _address = NativeMethods.Map(_length, NativeMethods.ProtRead | NativeMethods.ProtWrite);
        unsafe { code.CopyTo(new Span<byte>((void*)_address, code.Length)); }
        NativeMethods.Protect(_address, _length, NativeMethods.ProtRead | NativeMethods.ProtExec);
        Length = code.Length;
    }

    /// <summary>Address of the first code byte.</summary>
    public nint Address => _address;

    public int Length { get; }

    public void Dispose()
    {
        NativeMethods.Unmap(_address, _length);
        _address = 0;
    }
}
