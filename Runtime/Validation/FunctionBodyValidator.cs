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
        var reader = Begin(module, definedIndex, validator, locals);
        // The fused loop: the same result as Read + Validate per operator (see ValidateGeneral), with one dispatch per operator.
        validator.ValidateFunctionBody(ref reader);
        reader.EnsureAtEnd();
        StoreLocalUseRanking(module, definedIndex, validator);
    }

    /// <summary>Keeps the body's local use ranking for the compiler (<see cref="ModuleInfo.LocalUseRankings"/>).</summary>
    private static void StoreLocalUseRanking(ModuleInfo module, int definedIndex, OperatorValidator validator)
    {
        var rankings = module.LocalUseRankings;
        if (rankings is null)
        {
            // Bodies may be validated in parallel: the first one in creates the table.
            Interlocked.CompareExchange(ref module.LocalUseRankingsField, new uint[]?[module.FunctionBodies.Count], null);
            rankings = module.LocalUseRankings!;
        }
        if ((uint)definedIndex < (uint)rankings.Length) rankings[definedIndex] = validator.RankLocalUses();
    }

    /// <summary>Checks the function's type, reads its locals and starts <paramref name="validator"/> on it.</summary>
    private static OperatorReader Begin(ModuleInfo module, int definedIndex, OperatorValidator validator, LocalTypes locals)
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
        return reader;
    }

    /// <summary>
    /// <see cref="Validate(ModuleInfo, int, OperatorValidator, LocalTypes)"/> through the general per-operator API
    /// (<see cref="OperatorReader.Read"/> then <see cref="OperatorValidator.Validate"/>), as a compiler drives it.
    /// The fused path must agree with it exactly; tests compare the two.
    /// </summary>
    public static void ValidateGeneral(ModuleInfo module, int definedIndex, OperatorValidator validator, LocalTypes locals)
    {
        var reader = Begin(module, definedIndex, validator, locals);
        while (!validator.IsFunctionEnded)
        {
            // Read reports a missing final end when the bytes run out first.
            reader.Read(out var op);
            validator.Validate(in op);
        }
        reader.EnsureAtEnd();
        StoreLocalUseRanking(module, definedIndex, validator);
    }
}
