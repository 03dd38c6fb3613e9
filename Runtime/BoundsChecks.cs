namespace Sharptime;

/// <summary>How compiled code keeps 32-bit linear-memory accesses inside their memory (<see cref="Config.BoundsChecks"/>).</summary>
public enum BoundsChecks
{
    /// <summary>
    /// Every load and store compares its effective address with the memory's current length. Each memory reserves
    /// only its maximum size of address space.
    /// </summary>
    Explicit,

    /// <summary>
    /// Each 32-bit memory reserves <see cref="Config.MemoryReservation"/> plus <see cref="Config.MemoryGuardSize"/> of
    /// inaccessible address space, so loads and stores need no comparison: an access past the committed pages faults
    /// and a process-wide signal handler turns the fault into a <see cref="TrapCode.MemoryOutOfBounds"/> trap.
    /// Accesses whose static offset the guard region does not cover keep an explicit check. Linux x86-64 only.
    /// </summary>
    GuardPages,
}
