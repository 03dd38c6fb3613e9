using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Sharptime.ComponentModel.Wit;

/// <summary>
/// Reads WIT from the file system. A directory is one package (all its <c>*.wit</c> files); its <c>deps/</c> folder
/// holds dependencies, each <c>deps/NAME/</c> folder or <c>deps/NAME.wit</c> file being one package (a file may also
/// hold nested package blocks). Not part of the source generator build (analyzers may not touch the file system).
/// </summary>
public static class WitLoader
{
    /// <summary>
    /// Adds a file (one package, possibly with nested package blocks) or a directory: its <c>*.wit</c> files form one
    /// package and, for a root (non-dependency) directory, each entry of its <c>deps/</c> folder is a dependency package.
    /// As the WIT conventions say, dependency folders do not have <c>deps/</c> of their own: the layout is flat.
    /// </summary>
    /// <exception cref="WitException">The path does not exist or cannot be read.</exception>
    public static void AddPath(this WitResolver resolver, string path, bool isDependency = false)
    {
        if (resolver is null) throw new ArgumentNullException(nameof(resolver));
        if (Directory.Exists(path))
        {
            resolver.AddPackage(ReadFiles(Directory.EnumerateFiles(path, "*.wit").OrderBy(f => f, StringComparer.Ordinal)), isDependency);
            var deps = Path.Combine(path, "deps");
            if (!isDependency && Directory.Exists(deps))
            {
                foreach (var dir in Directory.EnumerateDirectories(deps).OrderBy(d => d, StringComparer.Ordinal)) resolver.AddPath(dir, isDependency: true);
                foreach (var file in Directory.EnumerateFiles(deps, "*.wit").OrderBy(f => f, StringComparer.Ordinal)) resolver.AddPath(file, isDependency: true);
            }
        }
        else if (File.Exists(path))
        {
            resolver.AddPackage(ReadFiles(new[] { path }), isDependency);
        }
        else
        {
            throw new WitException(new[] { new WitDiagnostic(path, 0, 0, "no such file or directory") });
        }
    }

    /// <summary>Loads and resolves a WIT file or directory (with its <c>deps/</c>).</summary>
    /// <exception cref="WitException">The WIT cannot be read, parsed or resolved.</exception>
    public static WitResolution Load(string path, WitOptions? options = null)
    {
        var resolver = new WitResolver(options);
        resolver.AddPath(path);
        return resolver.Resolve();
    }

    private static List<WitSource> ReadFiles(IEnumerable<string> paths)
    {
        var result = new List<WitSource>();
        foreach (var path in paths)
        {
            try
            {
                result.Add(new WitSource(path, File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new WitException(new[] { new WitDiagnostic(path, 0, 0, $"cannot read file: {e.Message}") });
            }
        }
        return result;
    }
}
