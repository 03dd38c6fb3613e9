namespace Sharptime.Text;

/// <summary>Entry point of the WebAssembly text format front end.</summary>
internal static class Wat
{
    /// <summary>
    /// Parses WebAssembly text (one <c>(module ...)</c>, or bare module fields) and encodes it to the binary format,
    /// including a "name" custom section built from identifiers.
    /// </summary>
    /// <param name="text">The module text.</param>
    /// <param name="fileName">Name used in error messages; optional.</param>
    /// <returns>The binary module. It is well-formed but not validated.</returns>
    /// <exception cref="MalformedModuleException">The text is not a well-formed module; carries line and column.</exception>
    public static byte[] ToBinary(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WatEncoder.EncodeText(text, fileName);
    }
}
