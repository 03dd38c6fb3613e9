using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Sharptime.Artifacts.Sections;

namespace Sharptime.Artifacts;

/// <summary>
/// Everything that decides what code an engine generates, as sorted name/value pairs: the <c>.sharptime.engine</c>
/// section. Loading compares it with the loading engine's; see <see cref="CheckCompatible"/> for the rules.
/// </summary>
internal sealed class EngineMetadata
{
    public const string FormatVersionKey = "format-version";
    public const string VersionKey = "sharptime-version";
    public const string TargetKey = "target";
    public const string CpuFeaturesKey = "cpu-features";
    public const string MaxWasmStackKey = "max-wasm-stack";
    public const string EpochInterruptionKey = "epoch-interruption";
    public const string ConsumeFuelKey = "consume-fuel";

    /// <summary>
    /// Bumped whenever a section's encoding changes, or the contract between generated code and the runtime does
    /// (context layouts, libcall signatures and results): an older artifact would load and then misbehave.
    /// </summary>
    public const string FormatVersion = "2";

    /// <summary>Settings recorded for information only: they change no generated code, so they may differ.</summary>
    private static readonly string[] s_informational = [MaxWasmStackKey];

    private EngineMetadata(SortedDictionary<string, string> values) => Values = values;

    public SortedDictionary<string, string> Values { get; }

    /// <summary>The metadata of code this process generates with <paramref name="config"/>.</summary>
    public static EngineMetadata For(Config config) => new(new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [FormatVersionKey] = FormatVersion,
        [VersionKey] = SharptimeVersion,
        [TargetKey] = HostTarget,
        // What the x86-64 backend emits unconditionally (clz, ctz, popcnt, float rounding).
        [CpuFeaturesKey] = "bmi1,lzcnt,popcnt,sse4.1",
        ["compiler"] = "baseline",
        ["address-map"] = config.GenerateAddressMap ? "on" : "off",
        ["wasm-features"] = "bulk-memory,multi-value,mutable-global,nontrapping-float-to-int,reference-types,sign-extension,simd",
        ["bounds-checks"] = config.BoundsChecks == BoundsChecks.GuardPages ? "guard-pages" : "explicit",
        // Loads and stores whose offset stays below this many bytes past 4 GiB carry no check: it is in the code.
        ["unchecked-access-limit"] = config.UncheckedAccessLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["memory-reservation"] = config.MemoryReservation.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["memory-guard-size"] = config.MemoryGuardSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Text and memory images are aligned for mapping with this page size.
        ["page-size"] = ArtifactFormat.PageAlignment.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Checks at function entries and loop headers, and fuel counting, are in the code.
        [EpochInterruptionKey] = config.EpochInterruption ? "on" : "off",
        [ConsumeFuelKey] = config.ConsumeFuel ? "on" : "off",
        [MaxWasmStackKey] = config.MaxWasmStack.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public static string SharptimeVersion { get; } =
        typeof(EngineMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EngineMetadata).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static string HostTarget { get; } =
        $"{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant() switch { "x64" => "x86_64", "arm64" => "aarch64", var a => a }}-{(OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "macos" : OperatingSystem.IsWindows() ? "windows" : "unknown")}";

    /// <summary>The CPU features of <see cref="CpuFeaturesKey"/> this machine has.</summary>
    public static bool HostHas(string feature) => feature switch
    {
        "bmi1" => Bmi1.IsSupported,
        "lzcnt" => Lzcnt.IsSupported,
        "popcnt" => Popcnt.IsSupported,
        "sse4.1" => Sse41.IsSupported,
        _ => false,
    };

    public byte[] Encode()
    {
        var w = new SectionWriter();
        w.U32((uint)Values.Count);
        foreach (var (key, value) in Values)
        {
            w.String(key);
            w.String(value);
        }
        return w.ToArray();
    }

    public static EngineMetadata Decode(ReadOnlySpan<byte> bytes)
    {
        var r = new SectionReader(bytes, ArtifactFormat.EngineSection);
        int n = r.Count(8, "setting");
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string key = r.String();
            if (!values.TryAdd(key, r.String())) throw r.Invalid($"setting '{key}' appears twice");
        }
        r.ExpectEnd();
        return new EngineMetadata(values);
    }

    /// <summary>
    /// Throws <see cref="ArtifactMismatchException"/> for the first setting (format, version and target first) that
    /// differs from <paramref name="engine"/>'s. CPU features only need to be present on this machine; informational
    /// settings are not compared.
    /// </summary>
    public void CheckCompatible(EngineMetadata engine)
    {
        foreach (var key in (string[])[FormatVersionKey, VersionKey, TargetKey])
            CheckEqual(key, engine);
        string features = Get(CpuFeaturesKey);
        foreach (var feature in features.Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (!HostHas(feature)) throw new ArtifactMismatchException(CpuFeaturesKey, features, $"this CPU lacks {feature}");
        foreach (var key in engine.Values.Keys)
            if (key != CpuFeaturesKey && Array.IndexOf(s_informational, key) < 0) CheckEqual(key, engine);
        foreach (var key in Values.Keys)
            if (!engine.Values.ContainsKey(key) && Array.IndexOf(s_informational, key) < 0)
                throw new ArtifactMismatchException(key, Values[key], "(not a setting of this version)");
    }

    private void CheckEqual(string key, EngineMetadata engine)
    {
        string mine = Get(key), theirs = engine.Get(key);
        if (mine != theirs) throw new ArtifactMismatchException(key, mine, theirs);
    }

    private string Get(string key) => Values.TryGetValue(key, out var v) ? v : "(absent)";
}
