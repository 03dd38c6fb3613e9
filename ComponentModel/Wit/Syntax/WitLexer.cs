using System.Collections.Generic;
using System.Text;

namespace Sharptime.ComponentModel.Wit.Syntax;

internal enum TokenKind
{
    Eof,
    Id,
    Integer,
    Version,
    Symbol,
}

internal sealed class Token
{
    public Token(TokenKind kind, string text, bool escaped, WitPos pos, string? docs)
    {
        Kind = kind;
        Text = text;
        Escaped = escaped;
        Pos = pos;
        Docs = docs;
    }

    public TokenKind Kind { get; }

    /// <summary>The text: identifier without its <c>%</c>, symbol, digits or version.</summary>
    public string Text { get; }

    public bool Escaped { get; }
    public WitPos Pos { get; }

    /// <summary>Doc comments directly before the token, joined by newlines, or null.</summary>
    public string? Docs { get; }

    public bool IsKeyword(string keyword) => Kind == TokenKind.Id && !Escaped && Text == keyword;

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public string Describe() => Kind switch
    {
        TokenKind.Eof => "end of file",
        TokenKind.Id => Escaped ? $"`%{Text}`" : $"`{Text}`",
        _ => $"`{Text}`",
    };
}

/// <summary>Turns WIT text into tokens. Comments are skipped; doc comments attach to the next token.</summary>
internal static class WitLexer
{
    internal static readonly HashSet<string> Keywords = new HashSet<string>
    {
        "as", "async", "bool", "borrow", "char", "constructor", "enum", "error-context", "export", "f32", "f64",
        "flags", "from", "func", "future", "import", "include", "interface", "list", "map", "option", "own", "package", "record",
        "resource", "result", "s16", "s32", "s64", "s8", "static", "stream", "string", "tuple", "type", "u16", "u32",
        "u64", "u8", "use", "variant", "with", "world",
    };

    public static List<Token> Tokenize(string file, string text)
    {
        var tokens = new List<Token>();
        int i = 0, line = 1, lineStart = 0;
        if (text.Length > 0 && text[0] == '\uFEFF') { i = 1; lineStart = 1; }
        var docs = new List<string>();

        WitPos Pos(int at) => new WitPos(file, line, at - lineStart + 1);

        while (true)
        {
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.Eof, "", false, Pos(i), Join(docs)));
                return tokens;
            }
            char c = text[i];
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r')
            {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                int start = i;
                while (i < text.Length && text[i] != '\n')
                {
                    CheckCommentChar(text[i], Pos(i));
                    i++;
                }
                var comment = text.Substring(start, i - start);
                if (comment.StartsWith("///", System.StringComparison.Ordinal) && !comment.StartsWith("////", System.StringComparison.Ordinal))
                {
                    var body = comment.Substring(3).TrimEnd('\r');
                    if (body.StartsWith(" ", System.StringComparison.Ordinal)) body = body.Substring(1);
                    docs.Add(body);
                }
                continue;
            }
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var startPos = Pos(i);
                int start = i;
                int depth = 0;
                while (true)
                {
                    if (i >= text.Length) throw new WitSyntaxError(startPos.Error("unterminated block comment"));
                    if (text[i] == '/' && i + 1 < text.Length && text[i + 1] == '*') { depth++; i += 2; continue; }
                    if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '/')
                    {
                        depth--;
                        i += 2;
                        if (depth == 0) break;
                        continue;
                    }
                    if (text[i] == '\n') { line++; lineStart = i + 1; }
                    else CheckCommentChar(text[i], Pos(i));
                    i++;
                }
                var comment = text.Substring(start, i - start);
                bool isDoc = comment.Length > 5 && comment.StartsWith("/**", System.StringComparison.Ordinal) && comment[3] != '*';
                if (isDoc) AddBlockDocs(docs, comment.Substring(3, comment.Length - 5));
                continue;
            }

            var pos = Pos(i);
            string? tokenDocs = Join(docs);
            docs.Clear();

            if (c == '%' || IsLetter(c))
            {
                bool escaped = c == '%';
                int start = escaped ? i + 1 : i;
                int j = start;
                while (j < text.Length && (IsLetter(text[j]) || IsDigit(text[j]) || text[j] == '-')) j++;
                var id = text.Substring(start, j - start);
                var problem = CheckIdentifier(id);
                if (problem is not null) throw new WitSyntaxError(pos.Error(problem));
                tokens.Add(new Token(TokenKind.Id, id, escaped, pos, tokenDocs));
                i = j;
                continue;
            }
            if (IsDigit(c))
            {
                int j = i;
                while (j < text.Length && IsDigit(text[j])) j++;
                if (j + 1 < text.Length && text[j] == '.' && IsDigit(text[j + 1]))
                {
                    while (j < text.Length && (IsLetter(text[j]) || IsDigit(text[j]) || text[j] == '.' || text[j] == '-' || text[j] == '+')) j++;
                    while (text[j - 1] == '.') j--;
                    tokens.Add(new Token(TokenKind.Version, text.Substring(i, j - i), false, pos, tokenDocs));
                }
                else
                {
                    tokens.Add(new Token(TokenKind.Integer, text.Substring(i, j - i), false, pos, tokenDocs));
                }
                i = j;
                continue;
            }
            if (c == '-' && i + 1 < text.Length && text[i + 1] == '>')
            {
                tokens.Add(new Token(TokenKind.Symbol, "->", false, pos, tokenDocs));
                i += 2;
                continue;
            }
            switch (c)
            {
                case '{': case '}': case '(': case ')': case '<': case '>': case ',': case ';': case ':':
                case '=': case '.': case '/': case '@': case '_': case '*':
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), false, pos, tokenDocs));
                    i++;
                    continue;
            }
            var shown = c < ' ' || c > '~' ? $"U+{(int)c:X4}" : $"`{c}`";
            throw new WitSyntaxError(pos.Error($"unexpected character {shown}"));
        }
    }

    /// <summary>Control codes (other than tab and carriage return) and bidirectional overrides are not allowed anywhere.</summary>
    private static void CheckCommentChar(char c, WitPos pos)
    {
        if ((c < ' ' && c != '\t' && c != '\r') || c == '\u007F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069'))
            throw new WitSyntaxError(pos.Error($"character U+{(int)c:X4} is not allowed in WIT text"));
    }

    private static void AddBlockDocs(List<string> docs, string inner)
    {
        var lines = inner.Replace("\r", "").Split('\n');
        var kept = new List<string>();
        foreach (var raw in lines)
        {
            var l = raw.Trim();
            if (l.StartsWith("*", System.StringComparison.Ordinal)) l = l.Substring(1).TrimStart();
            kept.Add(l);
        }
        while (kept.Count > 0 && kept[0].Length == 0) kept.RemoveAt(0);
        while (kept.Count > 0 && kept[kept.Count - 1].Length == 0) kept.RemoveAt(kept.Count - 1);
        docs.AddRange(kept);
    }

    private static string? Join(List<string> docs) => docs.Count == 0 ? null : string.Join("\n", docs);

    private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    /// <summary>Checks the kebab-case rules; returns a message, or null when the identifier is valid.</summary>
    internal static string? CheckIdentifier(string id)
    {
        if (id.Length == 0) return "expected an identifier after `%`";
        if (id.EndsWith("-", System.StringComparison.Ordinal) || id.Contains("--")) return $"identifier `{id}` has an empty word";
        var words = id.Split('-');
        for (int w = 0; w < words.Length; w++)
        {
            var word = words[w];
            if (w == 0 && !IsLetter(word[0])) return $"identifier `{id}` must start with a letter";
            bool lower = false, upper = false;
            foreach (var ch in word)
            {
                if (ch >= 'a' && ch <= 'z') lower = true;
                else if (ch >= 'A' && ch <= 'Z') upper = true;
            }
            if (lower && upper) return $"identifier `{id}` mixes upper and lower case in the word `{word}`";
        }
        return null;
    }

    internal static bool IsValidIdentifier(string id) => id.Length > 0 && IsLetter(id[0]) && CheckIdentifier(id) is null && AllIdChars(id);

    private static bool AllIdChars(string id)
    {
        foreach (var ch in id) if (!(IsLetter(ch) || IsDigit(ch) || ch == '-')) return false;
        return true;
    }

    /// <summary>Checks a semantic version; returns null when valid.</summary>
    internal static string? CheckVersion(string version)
    {
        int plus = version.IndexOf('+');
        var core = plus < 0 ? version : version.Substring(0, plus);
        if (plus >= 0 && !CheckIdentifiers(version.Substring(plus + 1), false)) return $"invalid semantic version `{version}`";
        int dash = core.IndexOf('-');
        var numbers = dash < 0 ? core : core.Substring(0, dash);
        if (dash >= 0 && !CheckIdentifiers(core.Substring(dash + 1), true)) return $"invalid semantic version `{version}`";
        var parts = numbers.Split('.');
        if (parts.Length != 3) return $"invalid semantic version `{version}`: expected MAJOR.MINOR.PATCH";
        foreach (var p in parts)
        {
            if (p.Length == 0 || (p.Length > 1 && p[0] == '0')) return $"invalid semantic version `{version}`";
            foreach (var ch in p) if (!IsDigit(ch)) return $"invalid semantic version `{version}`";
        }
        return null;
    }

    private static bool CheckIdentifiers(string text, bool noLeadingZeros)
    {
        foreach (var part in text.Split('.'))
        {
            if (part.Length == 0) return false;
            bool numeric = true;
            foreach (var ch in part)
            {
                if (!(IsLetter(ch) || IsDigit(ch) || ch == '-')) return false;
                if (!IsDigit(ch)) numeric = false;
            }
            if (noLeadingZeros && numeric && part.Length > 1 && part[0] == '0') return false;
        }
        return true;
    }

    internal static string Escape(string id) => Keywords.Contains(id) ? "%" + id : id;
}
