using Sharptime.Text;

namespace Sharptime.Tests.Text;

public class LexerTests
{
    private static List<Token> Tokens(string s) => Lexer.Tokenize(s, null).Tokens;

    [Fact]
    public void ClassifiesParenthesesKeywordsIdsStringsAndAtoms()
    {
        var kinds = Tokens("(func $f \"s\" 42 -1.5)").Select(t => t.Kind);
        Assert.Equal(
            [TokenKind.LParen, TokenKind.Keyword, TokenKind.Id, TokenKind.String, TokenKind.Atom, TokenKind.Atom, TokenKind.RParen, TokenKind.Eof],
            kinds);
    }

    [Fact]
    public void SkipsLineCommentsAndNestedBlockComments()
    {
        var tokens = Tokens("(; outer (; inner ;) still outer ;) nop ;; trailing\n drop");
        Assert.Equal(3, tokens.Count);
        Assert.Equal(TokenKind.Keyword, tokens[0].Kind);
        Assert.Equal(2, tokens[1].Line);
    }

    [Fact]
    public void RecordsOneBasedLineAndColumn()
    {
        var tokens = Tokens("(module\n  (func))");
        var func = tokens[3];
        Assert.Equal(2, func.Line);
        Assert.Equal(4, func.Column);
    }

    [Fact]
    public void DecodesAllStringEscapes()
    {
        var lex = Lexer.Tokenize("\"\\t\\n\\r\\\"\\'\\\\\\41\\u{41}\\u{1F600}é\"", null);
        Assert.Equal(
            new byte[] { 9, 10, 13, (byte)'"', (byte)'\'', (byte)'\\', 0x41, 0x41, 0xF0, 0x9F, 0x98, 0x80, 0xC3, 0xA9 },
            lex.Strings[lex.Tokens[0].StringIndex]);
    }

    [Theory]
    [InlineData("\"\\q\"")]
    [InlineData("\"\\u{D800}\"")]
    [InlineData("\"\\u{110000}\"")]
    [InlineData("\"\\u{}\"")]
    [InlineData("\"\\4\"")]
    [InlineData("\"unterminated")]
    [InlineData("\"new\nline\"")]
    public void RejectsBadStrings(string text)
    {
        Assert.Throws<MalformedModuleException>(() => Lexer.Tokenize(text, null));
    }

    [Theory]
    [InlineData("$l\"a\"")]
    [InlineData("\"a\"\"b\"")]
    [InlineData("\"a\"x")]
    [InlineData("0\"a\"")]
    public void RejectsTokensThatAreNotSeparated(string text)
    {
        Assert.Throws<MalformedModuleException>(() => Lexer.Tokenize(text, null));
    }

    [Theory]
    [InlineData("(; never closed")]
    [InlineData("(; (; ;)")]
    [InlineData("$")]
    [InlineData("a,b")]
    [InlineData("{")]
    [InlineData(";")]
    public void RejectsMalformedInput(string text)
    {
        Assert.Throws<MalformedModuleException>(() => Lexer.Tokenize(text, null));
    }

    [Fact]
    public void ErrorCarriesFileLineAndColumn()
    {
        var e = Assert.Throws<MalformedModuleException>(() => Lexer.Tokenize("(module\n  \"\\z\")", "m.wat"));
        Assert.Equal("m.wat", e.FileName);
        Assert.Equal(2, e.Line);
        Assert.Equal(4, e.Column);
    }

    [Fact]
    public void AllowsControlCharactersInsideComments()
    {
        var tokens = Tokens("(;\u0001\u0000;) nop");
        Assert.Equal(2, tokens.Count);
    }
}
