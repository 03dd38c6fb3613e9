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
    /// <param name="bytes">The component binary.</param>
    /// <param name="features">Optional features to accept; every supported one by default.</param>
    public static ComponentInfo DecodeAndValidate(ReadOnlyMemory<byte> bytes, ComponentFeatures features = ComponentFeatures.All) =>
        ComponentDecoder.Decode(bytes, features);

    /// <summary>
    /// Decodes and validates a component that is to be instantiated: on top of validation, the root must stay within
    /// the <see cref="ImplementationLimits"/> of the component runtime.
    /// </summary>
    /// <param name="bytes">The component binary.</param>
    /// <param name="features">Optional features to accept; every supported one by default.</param>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed component.</exception>
    /// <exception cref="InvalidModuleException">The component breaks a validation rule or an implementation limit.</exception>
    public static ComponentInfo DecodeForInstantiation(ReadOnlyMemory<byte> bytes, ComponentFeatures features = ComponentFeatures.All)
    {
        var info = ComponentDecoder.Decode(bytes, features);
        ImplementationLimits.Check(info);
        return info;
    }
}

/// <summary>
/// Optional Component Model features that a caller can switch off (all supported ones are on by default), in the way
/// of wasm-tools' feature flags: a component using a disabled feature is invalid.
/// </summary>
[Flags]
internal enum ComponentFeatures
{
    /// <summary>No optional feature.</summary>
    None = 0,

    /// <summary>The <c>implements</c> name attribute on instance imports and exports (🏷️, wasm-tools' <c>cm-implements</c>).</summary>
    Implements = 1,

    /// <summary>Every optional feature.</summary>
    All = Implements,
}
