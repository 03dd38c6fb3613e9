using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>The one way in for binary modules: decode, then validate.</summary>
internal static class WasmFrontEnd
{
    /// <summary>
    /// Decodes every section of <paramref name="bytes"/> (so a malformed module is reported as such even when it is
    /// also invalid), then validates the module and every function body.
    /// </summary>
    /// <exception cref="MalformedModuleException">The bytes are not a well-formed WebAssembly 2.0 module.</exception>
    /// <exception cref="InvalidModuleException">The module decodes but breaks a validation rule.</exception>
    public static ModuleInfo DecodeAndValidate(ReadOnlyMemory<byte> bytes)
    {
        var module = ModuleParser.Parse(bytes);
        ModuleValidator.Validate(module);
        return module;
    }
}
