namespace Sharptime;

/// <summary>
/// Decides how far the memories and tables of a store may grow, and how many instances, tables and memories the store
/// may hold. Install one with <see cref="Store.SetLimiter"/>; <see cref="StoreLimits"/> is a ready-made implementation.
/// </summary>
/// <remarks>
/// <para>
/// The limiter is consulted for <c>memory.grow</c> and <c>table.grow</c> run by WebAssembly, for
/// <see cref="Memory.Grow"/> and <see cref="Table.Grow"/> called by the host, and for the initial allocation of every
/// memory and table the store creates (instantiation or the host constructors), as a growth from 0 to the minimum size.
/// A growth of 0 is always allowed without asking.
/// </para>
/// <para>
/// Returning false refuses: <c>memory.grow</c>/<c>table.grow</c> then return -1, the host <c>Grow</c> methods throw
/// <see cref="InvalidOperationException"/>, and creating the memory or table throws <see cref="ResourceLimitExceededException"/>.
/// A method may also throw: from WebAssembly the exception stops execution and reaches the host caller of the wasm
/// function unchanged (as an exception thrown by a host function does); from the host API it propagates directly.
/// </para>
/// <para>A limiter belongs to the store it is installed in and is called on that store's thread only.</para>
/// </remarks>
public abstract class ResourceLimiter
{
    /// <summary>The default limit on each of <see cref="Instances"/>, <see cref="Tables"/> and <see cref="Memories"/>.</summary>
    public const int DefaultCountLimit = 10_000;

    /// <summary>
    /// Called before a linear memory grows from <paramref name="currentBytes"/> to <paramref name="desiredBytes"/>
    /// (which may exceed <paramref name="maximumBytes"/>: the memory's own maximum is enforced after this call).
    /// </summary>
    /// <param name="currentBytes">The current size in bytes (0 when the memory is being created).</param>
    /// <param name="desiredBytes">The size in bytes after the growth.</param>
    /// <param name="maximumBytes">The memory's declared maximum in bytes, or null when it declares none.</param>
    /// <returns>true to allow the growth, false to refuse it.</returns>
    public abstract bool MemoryGrowing(long currentBytes, long desiredBytes, long? maximumBytes);

    /// <summary>
    /// Called before a table grows from <paramref name="currentElements"/> to <paramref name="desiredElements"/>
    /// (which may exceed <paramref name="maximumElements"/>: the table's own maximum is enforced after this call).
    /// </summary>
    /// <param name="currentElements">The current number of elements (0 when the table is being created).</param>
    /// <param name="desiredElements">The number of elements after the growth.</param>
    /// <param name="maximumElements">The table's declared maximum, or null when it declares none.</param>
    /// <returns>true to allow the growth, false to refuse it.</returns>
    public abstract bool TableGrowing(long currentElements, long desiredElements, long? maximumElements);

    /// <summary>
    /// Called when a memory growth that <see cref="MemoryGrowing"/> allowed fails anyway (the memory's maximum, or the
    /// operating system refused). Does nothing by default; throwing turns the failure into an exception as above.
    /// </summary>
    /// <param name="currentBytes">The size in bytes, unchanged.</param>
    /// <param name="desiredBytes">The size in bytes that was asked for.</param>
    /// <param name="reason">Why the growth failed.</param>
    public virtual void MemoryGrowFailed(long currentBytes, long desiredBytes, string reason)
    {
    }

    /// <summary>
    /// Called when a table growth that <see cref="TableGrowing"/> allowed fails anyway (the table's maximum, or
    /// allocation failed). Does nothing by default; throwing turns the failure into an exception as above.
    /// </summary>
    /// <param name="currentElements">The number of elements, unchanged.</param>
    /// <param name="desiredElements">The number of elements that was asked for.</param>
    /// <param name="reason">Why the growth failed.</param>
    public virtual void TableGrowFailed(long currentElements, long desiredElements, string reason)
    {
    }

    /// <summary>The most instances the store may hold; instantiating beyond it throws <see cref="ResourceLimitExceededException"/>. Default <see cref="DefaultCountLimit"/>.</summary>
    public virtual int Instances => DefaultCountLimit;

    /// <summary>
    /// The most tables the store may hold (defined by instances or created by the host); creating more throws
    /// <see cref="ResourceLimitExceededException"/>. Default <see cref="DefaultCountLimit"/>.
    /// </summary>
    public virtual int Tables => DefaultCountLimit;

    /// <summary>
    /// The most linear memories the store may hold (defined by instances or created by the host); creating more throws
    /// <see cref="ResourceLimitExceededException"/>. Default <see cref="DefaultCountLimit"/>.
    /// </summary>
    public virtual int Memories => DefaultCountLimit;
}

/// <summary>Which limit a <see cref="ResourceLimitExceededException"/> is about.</summary>
public enum LimitedResource
{
    /// <summary>The size of one linear memory.</summary>
    MemorySize,
    /// <summary>The number of elements of one table.</summary>
    TableElements,
    /// <summary>The number of instances in the store.</summary>
    Instances,
    /// <summary>The number of tables in the store.</summary>
    Tables,
    /// <summary>The number of memories in the store.</summary>
    Memories,
}

/// <summary>A store's <see cref="ResourceLimiter"/> refused to create an instance, memory or table, or a growth was forced to fail.</summary>
public sealed class ResourceLimitExceededException : Exception
{
    /// <summary>Creates the exception for <paramref name="resource"/>.</summary>
    public ResourceLimitExceededException(LimitedResource resource, string message) : base(message) => Resource = resource;

    /// <summary>Which limit was exceeded.</summary>
    public LimitedResource Resource { get; }
}
