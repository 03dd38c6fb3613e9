namespace Sharptime.Tests.Shared;

/// <summary>
/// Locates the official test suites: <c>SHARPTIME_SPEC_DIR</c> when set, else a <c>shared/spec</c> folder found
/// by walking up from the test assembly (the checkout sits next to <c>shared/</c>).
/// </summary>
internal static class SpecDirectory
{
    public const string EnvironmentVariable = "SHARPTIME_SPEC_DIR";

    private static readonly Lazy<string?> Located = new(Locate);

    /// <summary>The spec folder, or null when it cannot be found.</summary>
    public static string? Path => Located.Value;

    /// <summary>The spec folder; throws with an explanation of where it was looked for when absent.</summary>
    public static string Require()
    {
        return Path ?? throw new DirectoryNotFoundException(
            $"The WebAssembly spec test suite was not found. Set {EnvironmentVariable} to the folder holding core/, " +
            $"or place the suite at ../shared/spec next to the checkout (searched upwards from {AppContext.BaseDirectory}).");
    }

    /// <summary>A subfolder of the suite (e.g. <c>core</c>), required to exist.</summary>
    public static string Require(string subfolder)
    {
        var dir = System.IO.Path.Combine(Require(), subfolder);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"The spec suite at {Require()} has no '{subfolder}' folder.");
        return dir;
    }

    private static string? Locate() => SharedFolder.Locate(EnvironmentVariable, "spec");
}

/// <summary>Finds a folder of the shared reference data that sits next to the checkout (<c>shared/NAME</c>).</summary>
internal static class SharedFolder
{
    /// <summary>
    /// The folder named by <paramref name="environmentVariable"/> when it is set (null when that is not a folder),
    /// else the first <c>shared/<paramref name="name"/></c> found walking up from the test assembly.
    /// </summary>
    public static string? Locate(string environmentVariable, string name)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? System.IO.Path.GetFullPath(fromEnvironment) : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
