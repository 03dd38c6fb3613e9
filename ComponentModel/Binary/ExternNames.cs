namespace Sharptime.ComponentModel.Binary;

/// <summary>What an extern name says about the item it names.</summary>
internal enum ExternNameKind : byte
{
    Label,
    Constructor,
    Method,
    Static,
    Interface,
}

/// <summary>
/// Lexical rules of import/export names and labels (Explainer.md, "Import and Export Definitions"): kebab-case
/// labels, <c>[constructor]</c>/<c>[method]</c>/<c>[static]</c> annotated names, and interface names
/// <c>ns:pkg/iface@version</c>. Returns an error message, or null when the name is valid.
/// </summary>
internal static class ExternNames
{
    /// <summary>Checks a kebab-case label: fragments of all-lowercase words or all-uppercase acronyms.</summary>
    public static string? CheckLabel(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return "name cannot be empty";
        int fragmentStart = 0;
        for (int i = 0; i <= s.Length; i++)
        {
            if (i < s.Length && s[i] != '-') continue;
            var fragment = s[fragmentStart..i];
            if (fragment.IsEmpty) return $"`{s}` is not in kebab case";
            // The first fragment starts with a letter; every fragment is one case.
            if (fragmentStart == 0 && !char.IsAsciiLetter(fragment[0])) return $"`{s}` is not in kebab case";
            bool lower = false, upper = false;
            foreach (char c in fragment)
            {
                if (char.IsAsciiLetterLower(c)) lower = true;
                else if (char.IsAsciiLetterUpper(c)) upper = true;
                else if (!char.IsAsciiDigit(c)) return $"`{s}` is not in kebab case";
            }
            if (lower && upper) return $"`{s}` is not in kebab case";
            fragmentStart = i + 1;
        }
        return null;
    }

    /// <summary>Checks an extern name and classifies it; <paramref name="resource"/> is the resource label of annotated names.</summary>
    public static string? Check(string name, out ExternNameKind kind, out string? resource)
    {
        resource = null;
        kind = ExternNameKind.Label;
        var s = name.AsSpan();
        if (s.StartsWith("[constructor]"))
        {
            kind = ExternNameKind.Constructor;
            resource = name["[constructor]".Length..];
            return CheckLabel(resource);
        }
        if (s.StartsWith("[method]") || s.StartsWith("[static]"))
        {
            kind = s[1] == 'm' ? ExternNameKind.Method : ExternNameKind.Static;
            var rest = s[8..];
            int dot = rest.IndexOf('.');
            if (dot < 0) return $"failed to find `.` character in `{name}`";
            resource = rest[..dot].ToString();
            return CheckLabel(rest[..dot]) ?? CheckLabel(rest[(dot + 1)..]);
        }
        if (s.IndexOf(':') >= 0)
        {
            kind = ExternNameKind.Interface;
            return CheckInterfaceName(s);
        }
        if (s.Length > 0 && s[0] == '[') return $"`{name}` is not a valid extern name";
        return CheckLabel(s);
    }

    /// <summary>Checks <c>namespace:package/interface[@version]</c>, allowing nested namespaces and projections.</summary>
    private static string? CheckInterfaceName(ReadOnlySpan<char> s)
    {
        var original = s;
        int at = s.IndexOf('@');
        if (at >= 0)
        {
            if (CheckVersion(s[(at + 1)..]) is string v) return v;
            s = s[..at];
        }
        int colon = s.IndexOf(':');
        int slash = s.IndexOf('/');
        if (slash < 0) return $"expected `/` after package name in `{original}`";
        if (slash < colon) return $"`{original}` is not a valid extern name";
        // namespace:package/interface. Nested namespaces and projections (🪺) are not enabled.
        var package = s[..slash];
        if (package[(colon + 1)..].IndexOf(':') >= 0) return $"expected `/` after package name in `{original}`";
        if ((CheckWords(package[..colon]) ?? CheckWords(package[(colon + 1)..])) is string e) return e;
        var path = s[(slash + 1)..];
        int extra = path.IndexOf('/');
        if (extra >= 0) return $"trailing characters found: `{path[extra..]}`";
        return CheckLabel(path);
    }

    /// <summary>
    /// Checks a <c>versionsuffix</c> attribute: the name must end in a canonical interface version
    /// (<c>@1</c>, <c>@0.2</c>, <c>@0.0.3</c>) that, with the suffix appended, is a valid semver.
    /// </summary>
    public static string? CheckVersionSuffix(string name, string suffix)
    {
        int at = name.IndexOf('@');
        if (at < 0 || name.IndexOf(':') < 0) return $"`{name}` has no interface version for the version suffix";
        var version = name.AsSpan(at + 1);
        int parts = 1;
        foreach (char c in version)
        {
            if (c == '.') parts++;
            else if (!char.IsAsciiDigit(c)) return $"`{version}` is not a canonical version";
        }
        // Canonical versions keep the parts up to the first non-zero one: 1, 0.2, 0.0.3 (or 0.0.0).
        bool canonical = parts switch
        {
            1 => version[0] != '0',
            2 => version.StartsWith("0.") && version[2] != '0',
            _ => version.StartsWith("0.0."),
        };
        if (!canonical) return $"`{version}` is not a canonical version";
        return CheckVersion(string.Concat(version, suffix), requireFull: true);
    }

    /// <summary>Words: lowercase kebab fragments, the first starting with a letter.</summary>
    private static string? CheckWords(ReadOnlySpan<char> s)
    {
        if (CheckLabel(s) is string e) return e;
        foreach (char c in s)
        {
            if (char.IsAsciiLetterUpper(c)) return $"`{s}` is not in kebab case";
        }
        return null;
    }

    /// <summary>A semver (major.minor.patch with optional -prerelease and +build) or a canonical version.</summary>
    private static string? CheckVersion(ReadOnlySpan<char> s, bool requireFull = false)
    {
        if (s.IsEmpty) return "empty string";
        int plus = s.IndexOf('+');
        var core = plus >= 0 ? s[..plus] : s;
        if (plus >= 0 && !CheckIdentifiers(s[(plus + 1)..], numericNoLeadingZero: false)) return $"`{s}` is not a valid version";
        int dash = core.IndexOf('-');
        var numbers = dash >= 0 ? core[..dash] : core;
        if (dash >= 0 && !CheckIdentifiers(core[(dash + 1)..], numericNoLeadingZero: true)) return $"`{s}` is not a valid version";
        int parts = 0;
        foreach (var range in numbers.Split('.'))
        {
            var n = numbers[range];
            if (n.IsEmpty || (n.Length > 1 && n[0] == '0')) return $"`{s}` is not a valid version";
            foreach (char c in n)
            {
                if (!char.IsAsciiDigit(c)) return $"unexpected character '{c}' in version `{s}`";
            }
            parts++;
        }
        // Canonical versions (1, 0.1, 0.0.1) drop the trailing parts; pre-release and build need all three.
        if (parts > 3 || (parts < 3 && (requireFull || dash >= 0 || plus >= 0))) return $"`{s}` is not a valid version";
        return null;
    }

    private static bool CheckIdentifiers(ReadOnlySpan<char> s, bool numericNoLeadingZero)
    {
        foreach (var range in s.Split('.'))
        {
            var id = s[range];
            if (id.IsEmpty) return false;
            bool numeric = true;
            foreach (char c in id)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-') return false;
                if (!char.IsAsciiDigit(c)) numeric = false;
            }
            if (numericNoLeadingZero && numeric && id.Length > 1 && id[0] == '0') return false;
        }
        return true;
    }

    /// <summary>
    /// The key under which names must be unique ("strongly unique", Explainer.md "Name Uniqueness"): lowercased;
    /// <c>[method]l.l</c>/<c>[static]l.l</c> become <c>l</c>; annotations other than <c>[constructor]</c> are stripped.
    /// </summary>
    public static string UniquenessKey(string name)
    {
        var s = name.ToLowerInvariant();
        if (s.StartsWith("[method]", StringComparison.Ordinal) || s.StartsWith("[static]", StringComparison.Ordinal))
        {
            s = s[8..];
            int dot = s.IndexOf('.');
            if (dot >= 0 && s.AsSpan(0, dot).SequenceEqual(s.AsSpan(dot + 1))) s = s[..dot];
        }
        return s;
    }
}
