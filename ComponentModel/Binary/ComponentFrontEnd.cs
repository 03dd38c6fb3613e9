namespace Sharptime.ComponentModel.Binary;

/// <summary>The one way in for component binaries: decode and validate in one pass.</summary>
internal static class ComponentFrontEnd
{
    /// <summary>
    /// True when <paramref name="bytes"/> start with a component preamble (the <c>\0asm</c> magic and layer 1); a
    /// core module has layer 0 in the same place. Says nothing about whether the rest is valid.
    /// </summary>
    public static bool IsComponent(ReadOnlySpan<byte> bytes) => ComponentDecoder.IsComponent(bytes);

    /// <summary>Decodes every section of a component (nested components and core modules included) and validates it.</summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed component.</exception>
    /// <exception cref="InvalidModuleException">The component decodes but breaks a validation rule.</exception>
    public static ComponentInfo DecodeAndValidate(ReadOnlyMemory<byte> bytes) => ComponentDecoder.Decode(bytes);
}
