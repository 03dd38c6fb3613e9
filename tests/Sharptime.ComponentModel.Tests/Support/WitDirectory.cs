using Sharptime.Tests.Shared;

namespace Sharptime.ComponentModel.Tests.Support;

/// <summary>
/// Locates the shared WIT packages: <c>SHARPTIME_WIT_DIR</c> when set, else a <c>shared/wit</c> folder found by walking
/// up from the test assembly (the checkout sits next to <c>shared/</c>).
/// </summary>
internal static class WitDirectory
{
    public const string EnvironmentVariable = "SHARPTIME_WIT_DIR";

    public static string? Path => SharedFolder.Locate(EnvironmentVariable, "wit");

    /// <summary>The shared WIT folder; throws with an explanation of where it was looked for when absent.</summary>
    public static string Require()
    {
        if (Path is string found) return found;
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        throw new DirectoryNotFoundException(string.IsNullOrEmpty(fromEnvironment)
            ? $"The shared WIT packages were not found. Set {EnvironmentVariable} to the folder holding wasi-0.2/, or place " +
              $"them at ../shared/wit next to the checkout (searched upwards from {AppContext.BaseDirectory})."
            : $"The shared WIT packages were not found: {EnvironmentVariable} is set to '{fromEnvironment}', which is not a folder.");
    }

    /// <summary>The package folders (<c>NAME/wit</c>) of one set, e.g. <c>wasi-0.2</c>; empty when none.</summary>
    public static IReadOnlyList<string> PackageDirectories(string set)
    {
        var root = System.IO.Path.Combine(Require(), set);
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateDirectories(root)
            .Select(d => System.IO.Path.Combine(d, "wit"))
            .Where(d => Directory.Exists(d) && Directory.EnumerateFiles(d, "*.wit").Any())
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>A fact that is skipped, with the reason, when a WIT package set has no packages on this machine.</summary>
internal sealed class WitPackageSetFactAttribute : FactAttribute
{
    public WitPackageSetFactAttribute(string set)
    {
        var root = WitDirectory.Path;
        if (root is null) return; // the test itself fails, saying where it looked
        if (WitDirectory.PackageDirectories(set).Count == 0)
            Skip = $"{System.IO.Path.Combine(root, set)} holds no WIT packages (no NAME/wit/*.wit folders) on this machine.";
    }
}
