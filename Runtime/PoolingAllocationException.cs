namespace Sharptime;

/// <summary>
/// The pooling instance allocator cannot give an instantiation what it needs: every slot of a kind is taken (dispose
/// stores that are done, or raise the setting), or the module needs a bigger slot than the pool has.
/// </summary>
public sealed class PoolingAllocationException : Exception
{
    /// <summary>Creates the error for the <see cref="PoolingAllocationConfig"/> property <paramref name="setting"/>.</summary>
    public PoolingAllocationException(string setting, string message) : base(message) => Setting = setting;

    /// <summary>The <see cref="PoolingAllocationConfig"/> property whose limit was reached, e.g. <c>TotalMemories</c>.</summary>
    public string Setting { get; }
}
