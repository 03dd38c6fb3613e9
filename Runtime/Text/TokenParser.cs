namespace Sharptime.Text;

/// <summary>A cursor over lexed tokens, shared by the script parser and the module encoder.</summary>
internal abstract class TokenParser
{
    protected readonly string _src;
    protected readonly string? _file;
    protected readonly List<Token> _t;
    protected readonly List<byte[]> _strings;
    protected int _p;

    protected TokenParser(string src, string? file, List<Token> tokens, List<byte[]> strings, int start)
    {
        _src = src;
        _file = file;
        _t = tokens;
        _strings = strings;
        _p = start;
    }

    /// <summary>The token <paramref name="k"/> places ahead; past the end, the final (EOF) token.</summary>
    protected Token Peek(int k = 0)
    {
        int i = _p + k;
        return i < _t.Count ? _t[i] : _t[^1];
    }

    /// <summary>Consumes and returns the current token; the EOF token is never passed.</summary>
    protected Token Next()
    {
        var t = Peek();
        if (_p < _t.Count - 1) _p++;
        return t;
    }

    protected ReadOnlySpan<char> Text(Token t) => _src.AsSpan(t.Start, t.Length);

    protected bool IsKeyword(Token t, string kw) => t.Kind == TokenKind.Keyword && Text(t).SequenceEqual(kw);

    protected MalformedModuleException Error(Token t, string reason) => new(reason, _file, t.Line, t.Column);
}
