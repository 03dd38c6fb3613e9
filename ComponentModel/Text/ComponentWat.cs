using Sharptime.Text;

namespace Sharptime.ComponentModel.Text;

/// <summary>Entry points of the component text format front end: component text to component binary.</summary>
internal static class ComponentWat
{
    /// <summary>
    /// Encodes one <c>(component $id? field*)</c>, or bare component fields, to the component binary format.
    /// The result is well-formed but not validated.
    /// </summary>
    /// <exception cref="MalformedModuleException">The text is malformed; carries line and column.</exception>
    public static byte[] ToBinary(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ComponentEncoder.EncodeText(text, fileName);
    }

    /// <summary>
    /// The binary of a script component: the bytes of <c>(component binary ...)</c>, or the encoding of a text or quoted
    /// component. Core modules of the script are encoded by <see cref="WastModule.Encode"/> itself.
    /// </summary>
    /// <exception cref="MalformedModuleException">The text or quoted component is malformed.</exception>
    public static byte[] Encode(WastModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        switch (module.Kind)
        {
            case WastModuleKind.ComponentBinary:
                return (byte[])module.RawBytes!.Clone();
            case WastModuleKind.ComponentQuote:
            {
                var bytes = module.RawBytes!;
                if (!System.Text.Unicode.Utf8.IsValid(bytes))
                    throw new MalformedModuleException("malformed UTF-8 encoding", module.FileName, module.Line, 1);
                // Positions in quoted text are relative to the quote's own text.
                return ToBinary(System.Text.Encoding.UTF8.GetString(bytes),
                    module.FileName is null ? null : $"{module.FileName}:{module.Line} (quote)");
            }
            case WastModuleKind.ComponentText:
                module.ThrowFirstLexicalError();
                return ComponentEncoder.EncodeTokens(module.Source!, module.FileName, module.Tokens!, module.FirstToken, module.Name);
            default:
                return module.Encode();
        }
    }
}
