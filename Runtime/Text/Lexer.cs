using System.Text;

namespace Sharptime.Text;

internal enum TokenKind : byte
{
    LParen,
    RParen,
    /// <summary>An idchar run starting with a lowercase letter: keywords, mnemonics, <c>offset=</c>, <c>inf</c>, <c>nan:0x..</c>.</summary>
    Keyword,
    /// <summary><c>$name</c>; the token text includes the <c>$</c>.</summary>
    Id,
    String,
    /// <summary>Any other idchar run (numbers, and garbage the parser rejects in context).</summary>
    Atom,
    /// <summary>A lexical error kept as a token (scripts only); <see cref="Token.StringIndex"/> indexes <see cref="Lexer.Errors"/>.</summary>
    Error,
    Eof,
}

/// <summary>One token: a slice of the source plus its position. Strings refer to their decoded bytes by index.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, int Line, int Column, int StringIndex = -1);

/// <summary>
/// Splits WebAssembly text into tokens per the spec's lexical grammar: idchar runs, strings, parentheses,
/// with whitespace, <c>;;</c> line comments and nested <c>(; ;)</c> block comments between them.
/// </summary>
internal sealed class Lexer
{
    private readonly string _src;
    private readonly string? _fileName;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public readonly List<Token> Tokens;
    public readonly List<byte[]> Strings = new();

    /// <summary>Lexical errors met in recovering mode, referenced by <see cref="TokenKind.Error"/> tokens.</summary>
    public readonly List<(string Reason, int Line, int Column)> Errors = new();

    private readonly bool _recover;
    // Where the token being read started (or the comment being skipped), for recovering after an error.
    private int _errorAnchor, _errorLine, _errorColumn;
    // Set for errors that run to the end of input (unclosed string or comment): nothing after them is a token.
    private bool _fatal;

    private Lexer(string src, string? fileName, bool recover)
    {
        _src = src;
        _fileName = fileName;
        _recover = recover;
        Tokens = new List<Token>(src.Length / 5 + 16); // typical density; avoids repeated regrowth
    }

    /// <summary>
    /// Tokenizes <paramref name="src"/>. Normally the first lexical error throws; with <paramref name="recover"/>
    /// (used for scripts) it becomes an <see cref="TokenKind.Error"/> token, so only the module containing it fails.
    /// </summary>
    public static Lexer Tokenize(string src, string? fileName, bool recover = false)
    {
        var lexer = new Lexer(src, fileName, recover);
        lexer.Run();
        return lexer;
    }

    /// <summary>The exception for an <see cref="TokenKind.Error"/> token.</summary>
    public MalformedModuleException ErrorOf(Token t)
    {
        var (reason, line, column) = Errors[t.StringIndex];
        return new MalformedModuleException(reason, _fileName, line, column);
    }

    internal static bool IsIdChar(char c) =>
        c < 128 && IdCharTable[c];

    private static readonly bool[] IdCharTable = BuildIdChars();

    private static bool[] BuildIdChars()
    {
        var t = new bool[128];
        for (char c = '0'; c <= '9'; c++) t[c] = true;
        for (char c = 'a'; c <= 'z'; c++) t[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) t[c] = true;
        foreach (char c in "!#$%&'*+-./:<=>?@\\^_`|~") t[c] = true;
        return t;
    }

    private MalformedModuleException Error(string reason, int pos)
    {
        // Column counted in UTF-16 units from the line start; good enough for pointing at ASCII syntax.
        return new MalformedModuleException(reason, _fileName, _line, pos - _lineStart + 1);
    }

    private void NewLine(int posAfterNewline)
    {
        _line++;
        _lineStart = posAfterNewline;
    }

    private void Run()
    {
        while (true)
        {
            int count = Tokens.Count;
            try
            {
                if (!Step()) return;
            }
            catch (MalformedModuleException e) when (_recover)
            {
                // Drop a token added in this step, skip the reserved run, and keep an error token in its place.
                if (Tokens.Count > count) Tokens.RemoveAt(Tokens.Count - 1);
                int start = _errorAnchor;
                if (_fatal) _pos = _src.Length;
                else SkipReserved(start);
                _fatal = false;
                Errors.Add((e.Reason, e.Line ?? _errorLine, e.Column ?? _errorColumn));
                Tokens.Add(new Token(TokenKind.Error, start, _pos - start, _errorLine, _errorColumn, Errors.Count - 1));
            }
        }
    }

    /// <summary>Skips a spec "reserved" run: idchars, strings and stray punctuation up to a delimiter.</summary>
    private void SkipReserved(int start)
    {
        string s = _src;
        _pos = start;
        while (_pos < s.Length)
        {
            char c = s[_pos];
            if (c is ' ' or '\t' or '\n' or '\r' or '(' or ')') break;
            if (c == ';' && _pos + 1 < s.Length && s[_pos + 1] == ';') break;
            if (c == '"')
            {
                _pos++;
                while (_pos < s.Length && s[_pos] != '"')
                {
                    if (s[_pos] == '\\') _pos++;
                    else if (s[_pos] == '\n') NewLine(_pos + 1);
                    _pos++;
                }
            }
            _pos++;
        }
        if (_pos > s.Length) _pos = s.Length;
        if (_pos == start) _pos = Math.Min(start + 1, s.Length); // always make progress
    }

    /// <summary>Reads one token (or the end); false at the end of input.</summary>
    private bool Step()
    {
        string s = _src;
        SkipTrivia();
        if (_pos >= s.Length)
        {
            Tokens.Add(new Token(TokenKind.Eof, _pos, 0, _line, _pos - _lineStart + 1));
            return false;
        }
        int start = _pos;
        int col = start - _lineStart + 1;
        (_errorAnchor, _errorLine, _errorColumn) = (start, _line, col);
        char c = s[_pos];
        if (c == '(')
        {
            _pos++;
            Tokens.Add(new Token(TokenKind.LParen, start, 1, _line, col));
            return true;
        }
        if (c == ')')
        {
            _pos++;
            Tokens.Add(new Token(TokenKind.RParen, start, 1, _line, col));
            return true;
        }
        if (c == '"')
        {
            int line = _line;
            byte[] bytes = ReadString();
            Strings.Add(bytes);
            Tokens.Add(new Token(TokenKind.String, start, _pos - start, line, col, Strings.Count - 1));
            CheckSeparated(start);
            return true;
        }
        if (IsIdChar(c))
        {
            while (_pos < s.Length && IsIdChar(s[_pos])) _pos++;
            TokenKind kind = c == '$' ? TokenKind.Id : c is >= 'a' and <= 'z' ? TokenKind.Keyword : TokenKind.Atom;
            if (kind == TokenKind.Id && _pos - start == 1) throw Error("empty identifier", start);
            Tokens.Add(new Token(kind, start, _pos - start, _line, col));
            CheckSeparated(start);
            return true;
        }
        throw Error(c == ';' ? "unexpected ';'" : $"unexpected character U+{(int)c:X4}", start);
    }

    /// <summary>Tokens must be followed by whitespace, a comment, a parenthesis or the end: <c>$l"a"</c> is one reserved token.</summary>
    private void CheckSeparated(int tokenStart)
    {
        if (_pos >= _src.Length) return;
        char c = _src[_pos];
        if (c is ' ' or '\t' or '\n' or '\r' or '(' or ')') return;
        if (c == ';' && _pos + 1 < _src.Length && _src[_pos + 1] == ';') return;
        throw Error("unknown operator: reserved token (tokens must be separated)", tokenStart);
    }

    private void SkipTrivia()
    {
        string s = _src;
        while (_pos < s.Length)
        {
            char c = s[_pos];
            if (c is ' ' or '\t' or '\r') { _pos++; continue; }
            if (c == '\n') { _pos++; NewLine(_pos); continue; }
            if (c == ';' && _pos + 1 < s.Length && s[_pos + 1] == ';')
            {
                while (_pos < s.Length && s[_pos] is not ('\n' or '\r')) _pos++;
                continue;
            }
            if (c == '(' && _pos + 1 < s.Length && s[_pos + 1] == ';')
            {
                SkipBlockComment();
                continue;
            }
            return;
        }
    }

    private void SkipBlockComment()
    {
        // Iterative with a depth counter, so deeply nested comments cannot overflow the stack.
        string s = _src;
        int start = _pos;
        (_errorAnchor, _errorLine, _errorColumn) = (start, _line, start - _lineStart + 1);
        int depth = 0;
        while (_pos < s.Length)
        {
            char c = s[_pos];
            if (c == '(' && _pos + 1 < s.Length && s[_pos + 1] == ';') { depth++; _pos += 2; continue; }
            if (c == ';' && _pos + 1 < s.Length && s[_pos + 1] == ')')
            {
                depth--;
                _pos += 2;
                if (depth == 0) return;
                continue;
            }
            if (c == '\n') NewLine(_pos + 1);
            _pos++;
        }
        _fatal = true;
        throw new MalformedModuleException("unclosed block comment", _fileName, _errorLine, _errorColumn);
    }

    private byte[] ReadString()
    {
        string s = _src;
        int start = _pos;
        _pos++; // opening quote
        var bytes = new List<byte>();
        Span<byte> utf8 = stackalloc byte[4];
        while (true)
        {
            if (_pos >= s.Length)
            {
                _fatal = true;
                throw Error("unclosed string", start);
            }
            char c = s[_pos];
            if (c == '"') { _pos++; return bytes.ToArray(); }
            if (c == '\n') throw Error("newline in string", _pos);
            if (c < 0x20 || c == 0x7F) throw Error("control character in string", _pos);
            if (c == '\\')
            {
                if (_pos + 1 >= s.Length)
                {
                    _fatal = true;
                    throw Error("unclosed string", start);
                }
                char e = s[_pos + 1];
                switch (e)
                {
                    case 't': bytes.Add(9); _pos += 2; continue;
                    case 'n': bytes.Add(10); _pos += 2; continue;
                    case 'r': bytes.Add(13); _pos += 2; continue;
                    case '"': bytes.Add((byte)'"'); _pos += 2; continue;
                    case '\'': bytes.Add((byte)'\''); _pos += 2; continue;
                    case '\\': bytes.Add((byte)'\\'); _pos += 2; continue;
                    case 'u':
                    {
                        int p = _pos + 2;
                        if (p >= s.Length || s[p] != '{') throw Error("malformed \\u escape", _pos);
                        p++;
                        long cp = 0;
                        int digits = 0;
                        bool lastUnderscore = false;
                        while (p < s.Length && (HexVal(s[p]) >= 0 || s[p] == '_'))
                        {
                            if (s[p] == '_')
                            {
                                if (digits == 0 || lastUnderscore) throw Error("malformed \\u escape", _pos);
                                lastUnderscore = true;
                            }
                            else
                            {
                                cp = cp * 16 + HexVal(s[p]);
                                if (cp > 0x10FFFF) throw Error("\\u escape out of range", _pos);
                                digits++;
                                lastUnderscore = false;
                            }
                            p++;
                        }
                        if (digits == 0 || lastUnderscore || p >= s.Length || s[p] != '}') throw Error("malformed \\u escape", _pos);
                        if (cp is >= 0xD800 and < 0xE000) throw Error("\\u escape is a surrogate", _pos);
                        int n = new Rune((int)cp).EncodeToUtf8(utf8);
                        for (int i = 0; i < n; i++) bytes.Add(utf8[i]);
                        _pos = p + 1;
                        continue;
                    }
                    default:
                    {
                        if (_pos + 2 < s.Length && HexVal(e) >= 0 && HexVal(s[_pos + 2]) >= 0)
                        {
                            bytes.Add((byte)(HexVal(e) * 16 + HexVal(s[_pos + 2])));
                            _pos += 3;
                            continue;
                        }
                        throw Error("unknown escape sequence", _pos);
                    }
                }
            }
            // A literal character: its UTF-8 encoding. Lone surrogates cannot be encoded.
            if (char.IsHighSurrogate(c))
            {
                if (_pos + 1 < s.Length && char.IsLowSurrogate(s[_pos + 1]))
                {
                    int n = new Rune(c, s[_pos + 1]).EncodeToUtf8(utf8);
                    for (int i = 0; i < n; i++) bytes.Add(utf8[i]);
                    _pos += 2;
                    continue;
                }
                throw Error("malformed UTF-8 encoding", _pos);
            }
            if (char.IsLowSurrogate(c)) throw Error("malformed UTF-8 encoding", _pos);
            if (c < 0x80) bytes.Add((byte)c);
            else
            {
                int n = new Rune(c).EncodeToUtf8(utf8);
                for (int i = 0; i < n; i++) bytes.Add(utf8[i]);
            }
            _pos++;
        }
    }

    internal static int HexVal(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
