using Sharptime.Format;

namespace Sharptime.Validation;

/// <summary>
/// Module-level validation of WebAssembly 2.0: index spaces, limits, segments, exports and the start function.
/// Constant expressions go to <see cref="ConstExprValidator"/> and function bodies to <see cref="FunctionBodyValidator"/>.
/// </summary>
internal static class ModuleValidator
{
    /// <summary>Largest memory, in 64 KiB pages, a 32-bit memory may declare.</summary>
    public const uint MaxMemoryPages = 65536;

    /// <exception cref="InvalidModuleException">The module breaks a validation rule.</exception>
    /// <exception cref="MalformedModuleException">A constant expression or function body cannot be decoded.</exception>
    public static void Validate(ModuleInfo module)
    {
        ValidateModuleLevel(module);
        for (int i = 0; i < module.FunctionBodies.Count; i++) FunctionBodyValidator.Validate(module, i);
    }

    /// <summary>
    /// Everything except function bodies; afterwards <see cref="ModuleInfo.DeclaredFunctionReferences"/> is complete,
    /// so bodies may be validated (possibly in parallel) with <see cref="FunctionBodyValidator"/>.
    /// </summary>
    public static void ValidateModuleLevel(ModuleInfo module)
    {
        int typeCount = module.Types.Count;
        int functionCount = module.FunctionTypeIndices.Count;
        var refs = module.DeclaredFunctionReferences;
        refs.Clear();

        // Imports and defined functions share the type index rule; FunctionOffsets points at each declaration.
        for (int f = 0; f < functionCount; f++)
        {
            if (module.FunctionTypeIndices[f] >= (uint)typeCount)
                Invalid($"unknown type {module.FunctionTypeIndices[f]}", module.FunctionOffsets[f]);
        }

        for (int t = 0; t < module.Tables.Count; t++)
            ValidateTableLimits(module.Tables[t].Limits, module.TableOffsets[t]);

        if (module.Memories.Count > 1) Invalid("multiple memories", module.MemoryOffsets[1]);
        for (int m = 0; m < module.Memories.Count; m++)
            ValidateMemoryLimits(module.Memories[m].Limits, module.MemoryOffsets[m]);

        // 2.0: initializers may read imported globals only; ref.func in them declares the function.
        int importedGlobals = module.ImportedGlobalCount;
        for (int g = importedGlobals; g < module.Globals.Count; g++)
        {
            var global = module.Globals[g];
            // Defined globals always carry an initializer; imported ones (skipped here) never do.
            if (global.Init is ConstExpr init) ConstExprValidator.Validate(module, init, global.Type.Type, importedGlobals, refs);
        }

        ValidateExports(module, refs);
        ValidateStart(module);
        ValidateElements(module, refs);
        ValidateData(module);
    }

    private static void ValidateTableLimits(Limits limits, int offset)
    {
        // Table sizes are u32 in the binary format, so only the ordering can be wrong.
        if (limits.Max is ulong max && limits.Min > max)
            Invalid("size minimum must not be greater than maximum", offset);
    }

    private static void ValidateMemoryLimits(Limits limits, int offset)
    {
        if (limits.Min > MaxMemoryPages || limits.Max > MaxMemoryPages)
            Invalid("memory size must be at most 65536 pages (4GiB)", offset);
        if (limits.Max is ulong max && limits.Min > max)
            Invalid("size minimum must not be greater than maximum", offset);
    }

    private static void ValidateExports(ModuleInfo module, HashSet<uint> refs)
    {
        var names = new HashSet<string>(module.Exports.Count, StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            if (!names.Add(export.Name)) Invalid("duplicate export name", export.Offset);
            switch (export.Kind)
            {
                case ExternKind.Func:
                    CheckFunction(module, export.Index, export.Offset);
                    refs.Add(export.Index);
                    break;
                case ExternKind.Table:
                    if (export.Index >= (uint)module.Tables.Count) Invalid($"unknown table {export.Index}", export.Offset);
                    break;
                case ExternKind.Memory:
                    if (export.Index >= (uint)module.Memories.Count) Invalid($"unknown memory {export.Index}", export.Offset);
                    break;
                case ExternKind.Global:
                    if (export.Index >= (uint)module.Globals.Count) Invalid($"unknown global {export.Index}", export.Offset);
                    break;
            }
        }
    }

    private static void ValidateStart(ModuleInfo module)
    {
        if (module.StartFunction is not uint start) return;
        int offset = module.StartFunctionOffset;
        CheckFunction(module, start, offset);
        var type = module.FunctionType(start);
        if (type.Params.Length != 0 || type.Results.Length != 0) Invalid("start function", offset);
    }

    private static void ValidateElements(ModuleInfo module, HashSet<uint> refs)
    {
        int importedGlobals = module.ImportedGlobalCount;
        foreach (var segment in module.Elements)
        {
            if (segment.Mode == SegmentMode.Active)
            {
                if (segment.TableIndex >= (uint)module.Tables.Count)
                    Invalid($"unknown table {segment.TableIndex}", segment.Offset);
                if (module.Tables[(int)segment.TableIndex].ElementType != segment.ElementType)
                    Invalid("type mismatch", segment.Offset);
                ConstExprValidator.Validate(module, segment.TableOffset!.Value, ValType.I32, importedGlobals, refs);
            }

            if (segment.FunctionIndices is uint[] indices)
            {
                foreach (uint f in indices)
                {
                    CheckFunction(module, f, segment.Offset);
                    refs.Add(f);
                }
            }
            else if (segment.Expressions is ConstExpr[] expressions)
            {
                foreach (var expr in expressions)
                    ConstExprValidator.Validate(module, expr, segment.ElementType, importedGlobals, refs);
            }
        }
    }

    private static void ValidateData(ModuleInfo module)
    {
        int importedGlobals = module.ImportedGlobalCount;
        foreach (var segment in module.Data)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            if (segment.MemoryIndex >= (uint)module.Memories.Count)
                Invalid($"unknown memory {segment.MemoryIndex}", segment.Offset);
            ConstExprValidator.Validate(module, segment.MemoryOffset!.Value, ValType.I32, importedGlobals, module.DeclaredFunctionReferences);
        }
    }

    private static void CheckFunction(ModuleInfo module, uint index, int offset)
    {
        if (index >= (uint)module.FunctionTypeIndices.Count) Invalid($"unknown function {index}", offset);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Invalid(string reason, int offset) => throw new InvalidModuleException(reason, offset);
}
