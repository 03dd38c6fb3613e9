namespace Sharptime;

/// <summary>
/// What an epoch deadline callback (<see cref="Store.SetEpochDeadlineCallback"/>) decides when wasm reaches the
/// store's deadline: stop with an <see cref="TrapCode.Interrupt"/> trap, or continue with a new deadline.
/// </summary>
public readonly struct EpochDeadlineAction : IEquatable<EpochDeadlineAction>
{
    private EpochDeadlineAction(bool trap, ulong delta)
    {
        IsTrap = trap;
        Delta = delta;
    }

    /// <summary>Stop the running wasm with an <see cref="TrapCode.Interrupt"/> trap.</summary>
    public static EpochDeadlineAction Trap => new(true, 0);

    /// <summary>
    /// Keep running, with the deadline set <paramref name="ticksBeyondCurrent"/> epoch ticks after the current epoch
    /// (as <see cref="Store.SetEpochDeadline"/>). 0 means the deadline is still reached, so the callback runs again at
    /// the next check.
    /// </summary>
    public static EpochDeadlineAction Continue(ulong ticksBeyondCurrent) => new(false, ticksBeyondCurrent);

    /// <summary>True for <see cref="Trap"/>.</summary>
    public bool IsTrap { get; }

    /// <summary>For <see cref="Continue"/>, the ticks beyond the current epoch of the new deadline; 0 for <see cref="Trap"/>.</summary>
    public ulong Delta { get; }

    /// <inheritdoc/>
    public bool Equals(EpochDeadlineAction other) => IsTrap == other.IsTrap && Delta == other.Delta;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is EpochDeadlineAction other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(IsTrap, Delta);

    /// <summary>Whether two actions are the same.</summary>
    public static bool operator ==(EpochDeadlineAction left, EpochDeadlineAction right) => left.Equals(right);

    /// <summary>Whether two actions differ.</summary>
    public static bool operator !=(EpochDeadlineAction left, EpochDeadlineAction right) => !left.Equals(right);

    /// <summary><c>Trap</c> or <c>Continue(delta)</c>.</summary>
    public override string ToString() => IsTrap ? "Trap" : $"Continue({Delta})";
}
