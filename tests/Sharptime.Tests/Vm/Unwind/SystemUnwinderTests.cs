using Sharptime.Vm;
using Sharptime.Vm.Debugging;
using Sharptime.Vm.Unwind;

namespace Sharptime.Tests.Vm.Unwind;

public sealed class SystemUnwinderTests
{
    private static CodeMemory Map(CodeRegistrations registrations) => new(new byte[UnwindTestImages.TextLength], new CodeImageInfo
    {
        Name = "unwinder-test",
        EhFrame = UnwindTestImages.EhFrame(),
        Registrations = registrations,
    });

    [Fact]
    public void TheProcessUnwinderFindsAnImagesFdesUntilItIsDisposed()
    {
        Assert.True(SystemUnwinder.IsAvailable, "libgcc_s.so.1 with __register_frame is expected on Linux");
        var memory = Map(CodeRegistrations.SystemUnwinder);
        nint pc = memory.Address + 0x45, ehFrame = memory.EhFrameAddress, end = ehFrame + memory.EhFrameLength;
        nint found = SystemUnwinder.FindFde(pc);
        memory.Dispose();
        nint afterDispose = SystemUnwinder.FindFde(pc);

        Assert.InRange(found, ehFrame, end - 1);
        // Another image may have been mapped at the same address since; it must not be ours.
        Assert.False(afterDispose >= ehFrame && afterDispose < end);
    }

    [Fact]
    public void WithoutRegistrationTheProcessUnwinderDoesNotKnowTheImage()
    {
        using var memory = Map(CodeRegistrations.None);
        nint found = SystemUnwinder.FindFde(memory.Address + 0x45);
        Assert.False(found >= memory.EhFrameAddress && found < memory.EhFrameAddress + memory.EhFrameLength);
    }
}
