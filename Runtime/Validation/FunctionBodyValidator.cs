using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>Decodes and validates one function body in a single pass.</summary>
internal static class FunctionBodyValidator
{
    // Reused per thread so validating many functions allocates nothing after warm-up.
    [ThreadStatic] private static OperatorValidator? t_validator;
    [ThreadStatic] private static LocalTypes? t_locals;

    /// <summary>
    /// Validates the body of defined function <paramref name="definedIndex"/> (function index
    /// <c>module.ImportedFunctionCount + definedIndex</c>). Needs <see cref="ModuleInfo.DeclaredFunctionReferences"/> filled.
    /// </summary>
    /// <exception cref="MalformedModuleException">The body cannot be decoded.</exception>
    /// <exception cref="InvalidModuleException">The body breaks a validation rule.</exception>
    public static void Validate(ModuleInfo module, int definedIndex)
    {
        var validator = t_validator ??= new OperatorValidator();
        var locals = t_locals ??= new LocalTypes();
        Validate(module, definedIndex, validator, locals);
    }

    /// <summary>Same as <see cref="Validate(ModuleInfo, int)"/> with caller-owned (reusable) state.</summary>
    public static void Validate(ModuleInfo module, int definedIndex, OperatorValidator validator, LocalTypes locals)
    {
        int functionIndex = module.ImportedFunctionCount + definedIndex;
        var body = module.FunctionBodies[definedIndex];
        if ((uint)functionIndex >= (uint)module.FunctionTypeIndices.Count)
            throw new MalformedModuleException("function and code section have inconsistent lengths", body.Offset);
        uint typeIndex = module.FunctionTypeIndices[functionIndex];
        if (typeIndex >= (uint)module.Types.Count)
            throw new InvalidModuleException($"unknown type {typeIndex}", body.Offset, functionIndex);

        var reader = OperatorReader.ForFunctionBody(module, definedIndex);
        locals.Reset(module.Types[(int)typeIndex].Params);
        reader.ReadLocalDeclarations(locals);

        validator.BeginFunction(module, functionIndex, locals);
        while (!validator.IsFunctionEnded)
        {
            // Read reports a missing final end when the bytes run out first.
            reader.Read(out var op);
            validator.Validate(in op);
        }
        reader.EnsureAtEnd();
    }
}
