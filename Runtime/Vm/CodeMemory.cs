using Sharptime.Vm.Debugging;
using Sharptime.Vm.Unwind;

namespace Sharptime.Vm;

/// <summary>
/// Executable memory holding one text section, optionally followed by its <c>.eh_frame</c> at
/// <see cref="EhFrameWriter.PlacementAfter"/>(text length): mapped read-write, filled, then made read-execute (W^X).
/// With a <see cref="CodeImageInfo"/> the image is also registered with the system unwinder, the perf map and the GDB
/// JIT interface as asked; <see cref="Dispose"/> undoes the registrations before unmapping.
/// </summary>
internal sealed class CodeMemory : IDisposable
{
    private nint _address;
    private readonly nuint _length;
    private readonly bool _ownsMapping = true;
    private readonly CodeImageInfo? _image;
    private bool _frameRegistered;
    private nint _gdbEntry;
    private UnwindTable? _unwindTable;

    public CodeMemory(ReadOnlySpan<byte> code, CodeImageInfo? image = null) : this(code, image?.EhFrame ?? [], image)
    {
    }

    /// <summary>
    /// A private copy of text and <c>.eh_frame</c> that already sit together in another mapping (at
    /// <see cref="EhFrameWriter.PlacementAfter"/>(text length) from the text), for when that mapping cannot be made
    /// executable where it lies.
    /// </summary>
    public static CodeMemory Copy(ReadOnlySpan<byte> code, ReadOnlySpan<byte> ehFrame, CodeImageInfo? image) => new(code, ehFrame, image);

    private CodeMemory(ReadOnlySpan<byte> code, ReadOnlySpan<byte> ehFrame, CodeImageInfo? image)
    {
        int ehFrameOffset = ehFrame.Length > 0 ? EhFrameWriter.PlacementAfter(code.Length) : code.Length;
        _length = NativeMethods.RoundUpToPage((nuint)Math.Max(ehFrameOffset + ehFrame.Length, 1));
        _address = NativeMethods.Map(_length, NativeMethods.ProtRead | NativeMethods.ProtWrite);
        unsafe
        {
            code.CopyTo(new Span<byte>((void*)_address, code.Length));
            ehFrame.CopyTo(new Span<byte>((void*)(_address + ehFrameOffset), ehFrame.Length));
        }
        NativeMethods.Protect(_address, _length, NativeMethods.ProtRead | NativeMethods.ProtExec);
        Length = code.Length;
        EhFrameAddress = ehFrame.Length > 0 ? _address + ehFrameOffset : 0;
        EhFrameLength = ehFrame.Length;
        _image = image;
        if (image is null) return;
        try
        {
            Register(image);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    // Text (and .eh_frame after it) already mapped executable by an artifact mapping, which keeps owning it.
    private CodeMemory(nint text, int length, nint ehFrame, int ehFrameLength, CodeImageInfo? image)
    {
        _address = text;
        _ownsMapping = false;
        Length = length;
        EhFrameAddress = ehFrameLength > 0 ? ehFrame : 0;
        EhFrameLength = ehFrameLength;
        _image = image;
        if (image is not null) Register(image);
    }

    /// <summary>
    /// Code that is already executable in someone else's mapping (a loaded artifact): registers it like mapped code,
    /// and <see cref="Dispose"/> only undoes the registrations.
    /// </summary>
    public static CodeMemory InPlace(nint text, int length, nint ehFrame, int ehFrameLength, CodeImageInfo? image) =>
        new(text, length, ehFrame, ehFrameLength, image);

    /// <summary>Address of the first code byte.</summary>
    public nint Address => _address;

    /// <summary>Length of the text in bytes (without the <c>.eh_frame</c> after it).</summary>
    public int Length { get; }

    /// <summary>Address of the mapped <c>.eh_frame</c>, or 0 when the image has none.</summary>
    public nint EhFrameAddress { get; }

    /// <summary>Length of the mapped <c>.eh_frame</c> in bytes.</summary>
    public int EhFrameLength { get; }

    /// <summary>The functions and trampolines in the text, as given at load.</summary>
    public ReadOnlySpan<CodeSymbol> Symbols => _image is null ? [] : _image.Symbols;

    /// <summary>The image's unwind rules for the backtrace collector, decoded from <c>.eh_frame</c> on first use; null without one.</summary>
    /// <exception cref="InvalidDataException">The <c>.eh_frame</c> is malformed.</exception>
    public UnwindTable? UnwindTable
    {
        get
        {
            if (_unwindTable is null && EhFrameLength > 0)
            {
                var table = UnwindTable.Parse(EhFrameBytes, (nuint)EhFrameAddress, (nuint)_address, Length);
                Interlocked.CompareExchange(ref _unwindTable, table, null);
            }
            return _unwindTable;
        }
    }

    // Invariant: [EhFrameAddress, +EhFrameLength) is mapped readable until Dispose.
    private unsafe ReadOnlySpan<byte> EhFrameBytes => new((void*)EhFrameAddress, EhFrameLength);

    private void Register(CodeImageInfo image)
    {
        if (EhFrameLength > 0 && (image.Registrations & CodeRegistrations.SystemUnwinder) != 0)
            _frameRegistered = SystemUnwinder.Register(EhFrameAddress);
        if ((image.Registrations & CodeRegistrations.PerfMap) != 0 && image.Symbols.Length > 0)
            PerfMap.Append(_address, image.Symbols);
        if ((image.Registrations & CodeRegistrations.GdbJit) != 0)
            _gdbEntry = GdbJitInterface.Register(JitSymbolFile.Build(_address, Length, EhFrameAddress, EhFrameBytes, image.Symbols));
    }

    public void Dispose()
    {
        if (_address == 0) return;
        if (_gdbEntry != 0)
        {
            GdbJitInterface.Unregister(_gdbEntry);
            _gdbEntry = 0;
        }
        if (_frameRegistered)
        {
            SystemUnwinder.Deregister(EhFrameAddress);
            _frameRegistered = false;
        }
        if (_ownsMapping) NativeMethods.Unmap(_address, _length);
        _address = 0;
    }
}
