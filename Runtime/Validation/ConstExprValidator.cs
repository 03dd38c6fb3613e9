using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>Decodes and validates constant expressions (global initializers, segment offsets, element items).</summary>
internal static class ConstExprValidator
{
    /// <summary>
    /// Checks that <paramref name="expr"/> is a constant expression producing one <paramref name="expected"/>.
    /// Only the first <paramref name="visibleGlobalCount"/> globals may be read by <c>global.get</c> (and they must be immutable).
    /// Every <c>ref.func</c> index seen is added to <paramref name="functionReferences"/> when it is given.
    /// </summary>
    /// <exception cref="MalformedModuleException">The expression cannot be decoded.</exception>
    /// <exception cref="InvalidModuleException">The expression is not constant or has the wrong type.</exception>
    public static void Validate(ModuleInfo module, ConstExpr expr, ValType expected, int visibleGlobalCount, HashSet<uint>? functionReferences) =>
        throw new NotImplementedException("constant expression validation: owned by the operator-validation work");
}
