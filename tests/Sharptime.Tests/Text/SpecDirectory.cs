namespace Sharptime.Tests.Text;

/// <summary>Finds the shared spec suite: SHARPTIME_SPEC_DIR, else a "shared/spec" folder above the test assembly.</summary>
internal static class SpecDirectory
{
    public static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("SHARPTIME_SPEC_DIR");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "spec");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The spec folder, or a test failure that says plainly where it was looked for.</summary>
    public static string Require()
    {
        var dir = Find();
        if (dir is null)
        {
            Assert.Fail("WebAssembly spec tests not found: set SHARPTIME_SPEC_DIR or place them in a 'shared/spec' folder " +
                        $"above {AppContext.BaseDirectory}. The spec suite test cannot run without them.");
        }
        return dir!;
    }
}
