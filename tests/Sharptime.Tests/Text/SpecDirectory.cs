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
            var env = Environment.GetEnvironmentVariable("SHARPTIME_SPEC_DIR");
            Assert.Fail(string.IsNullOrEmpty(env)
                ? "WebAssembly spec tests not found: no 'shared/spec' folder above " + AppContext.BaseDirectory +
                  " and SHARPTIME_SPEC_DIR is not set. The spec suite test cannot run without them."
                : $"WebAssembly spec tests not found: SHARPTIME_SPEC_DIR is '{env}', which is not a directory.");
        }
        return dir!;
    }
}
