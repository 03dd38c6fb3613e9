using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>Decodes and validates one function body in a single pass.</summary>
internal static class FunctionBodyValidator
{
    /// <summary>
    /// Validates the body of defined function <paramref name="definedIndex"/> (function index
    /// <c>module.ImportedFunctionCount + definedIndex</c>). Needs <see cref="ModuleInfo.DeclaredFunctionReferences"/> filled.
    /// </summary>
    /// <exception cref="MalformedModuleException">The body cannot be decoded.</exception>
    /// <exception cref="InvalidModuleException">The body breaks a validation rule.</exception>
    public static void Validate(ModuleInfo module, int definedIndex) =>
        throw new NotImplementedException("function body validation: owned by the operator-validation work");
}
