using Sharptime.Format;

namespace Sharptime.Artifacts.Sections;

/// <summary>
/// <c>.sharptime.names</c>: what backtraces and debuggers show. Optional display name of the module (what
/// <see cref="Module.Name"/> was: presence byte, string); optional name-section module name; u32 count
/// of function names, then (u32 function index, string) pairs in increasing index order. Local names are not kept.
/// </summary>
internal static class NamesSection
{
    public static byte[] Encode(string? displayName, NameSection names)
    {
        var w = new SectionWriter();
        w.OptionalString(displayName);
        w.OptionalString(names.ModuleName);
        var indices = new uint[names.FunctionNames.Count];
        names.FunctionNames.Keys.CopyTo(indices, 0);
        Array.Sort(indices);
        w.U32((uint)indices.Length);
        foreach (uint index in indices)
        {
            w.U32(index);
            w.String(names.FunctionNames[index]);
        }
        return w.ToArray();
    }

    /// <summary>Fills <paramref name="into"/> and returns the display name.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, NameSection into)
    {
        var r = new SectionReader(bytes, ArtifactFormat.NamesSection);
        string? displayName = r.OptionalString();
        into.ModuleName = r.OptionalString();
        int n = r.Count(8, "function name");
        for (int i = 0; i < n; i++)
        {
            uint index = r.U32();
            if (!into.FunctionNames.TryAdd(index, r.String())) throw r.Invalid($"function {index} is named twice");
        }
        r.ExpectEnd();
        return displayName;
    }
}
