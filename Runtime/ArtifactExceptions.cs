namespace Sharptime;

/// <summary>
/// The bytes given to <see cref="Module.Deserialize"/> or <see cref="Module.DeserializeFile"/> are not a usable Sharptime
/// artifact: not ELF, truncated, corrupted (checksum mismatch), or internally inconsistent.
/// </summary>
public sealed class InvalidArtifactException : WasmException
{
    /// <summary>Creates the error with what is wrong.</summary>
    public InvalidArtifactException(string reason) : base($"invalid compiled artifact: {reason}") => Reason = reason;

    /// <summary>What is wrong, without the prefix.</summary>
    public string Reason { get; }
}

/// <summary>
/// A well-formed artifact that this engine cannot run: made by another Sharptime version or format, for another target,
/// with CPU features this machine lacks, or with a setting that changes generated code and differs from the engine's.
/// </summary>
public sealed class ArtifactMismatchException : WasmException
{
    /// <summary>Creates the error for one setting.</summary>
    /// <param name="setting">The setting's name as the artifact records it, e.g. <c>target</c>.</param>
    /// <param name="artifactValue">The artifact's value.</param>
    /// <param name="engineValue">The engine's (or this machine's) value.</param>
    public ArtifactMismatchException(string setting, string artifactValue, string engineValue)
        : base($"the compiled artifact does not match this engine: {setting} is '{artifactValue}' in the artifact but '{engineValue}' here; recompile the module with this engine")
    {
        Setting = setting;
        ArtifactValue = artifactValue;
        EngineValue = engineValue;
    }

    /// <summary>The setting that differs, e.g. <c>target</c>, <c>sharptime-version</c>, <c>cpu-features</c>.</summary>
    public string Setting { get; }

    /// <summary>The artifact's value of <see cref="Setting"/>.</summary>
    public string ArtifactValue { get; }

    /// <summary>This engine's (or machine's) value of <see cref="Setting"/>.</summary>
    public string EngineValue { get; }
}

/// <summary>What kind of precompiled artifact some bytes are (see <see cref="Engine.DetectPrecompiled"/>).</summary>
public enum Precompiled
{
    /// <summary>A core module compiled with <see cref="Engine.PrecompileModule"/> or <see cref="Module.Serialize"/>.</summary>
    Module,

    /// <summary>A compiled component.</summary>
    Component,
}
