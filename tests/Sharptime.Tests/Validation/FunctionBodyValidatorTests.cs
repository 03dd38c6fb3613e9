using Sharptime.Format;
using static Sharptime.Tests.Validation.V;

namespace Sharptime.Tests.Validation;

public class FunctionBodyValidatorTests
{
    // ---- Valid bodies ---------------------------------------------------------------------------------------

    [Fact]
    public void EmptyBodyIsValid() => Valid(OneFunction(None, None, Body()).Build());

    [Fact]
    public void ArithmeticOnParametersIsValid() =>
        // local.get 0, local.get 1, i32.add
        Valid(OneFunction([I32, I32], [I32], Body(0x20, 0x00, 0x20, 0x01, 0x6A)).Build());

    [Fact]
    public void DeclaredLocalsAreUsable() =>
        // locals: 2 x i64 after the i32 parameter; local.get 1, local.get 2, i64.add, drop
        Valid(OneFunction([I32], None, [0x01, 0x02, 0x7E, 0x20, 0x01, 0x20, 0x02, 0x7C, 0x1A, 0x0B]).Build());

    [Fact]
    public void NestedBlocksLoopsAndIfsWithResultsAreValid() =>
        // block (result i32) loop (result i32) i32.const 1 if (result i32) i32.const 2 else i32.const 3 end end end
        Valid(OneFunction(None, [I32], Body(0x02, 0x7F, 0x03, 0x7F, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x0B, 0x0B)).Build());

    [Fact]
    public void BlockWithTypeIndexTakesAndReturnsMultipleValues()
    {
        var builder = new TestModuleBuilder();
        uint blockType = builder.Type([I32, I32], [I32, I64]);
        uint funcType = builder.Type(None, [I32, I64]);
        // i32.const 1, i32.const 2, block (type 0) i32.add i64.const 7 end
        builder.Function(funcType, Body(0x41, 0x01, 0x41, 0x02, 0x02, (byte)blockType, 0x6A, 0x42, 0x07, 0x0B));
        Valid(builder.Build());
    }

    [Fact]
    public void LoopLabelCarriesTheLoopParameters()
    {
        var builder = new TestModuleBuilder();
        uint loopType = builder.Type([I32], None);
        uint funcType = builder.Type(None, None);
        // i32.const 0, loop (type [i32] -> []) br 0 end — the branch carries the loop's i32 parameter.
        builder.Function(funcType, Body(0x41, 0x00, 0x03, (byte)loopType, 0x0C, 0x00, 0x0B));
        Valid(builder.Build());
    }

    [Fact]
    public void BlockTypeIndexThatDoesNotExistIsUnknownType() =>
        Invalid(OneFunction(None, None, Body(0x02, 0x05, 0x0B)).Build(), "unknown type");

    [Fact]
    public void CallChecksTheCalleeSignature()
    {
        var builder = new TestModuleBuilder();
        uint callee = builder.Type([I64], [F32]);
        uint caller = builder.Type(None, [F32]);
        builder.ImportFunction(callee);
        builder.Function(caller, Body(0x42, 0x01, 0x10, 0x00));
        Valid(builder.Build());
    }

    [Fact]
    public void CallWithWrongArgumentTypeIsATypeMismatch()
    {
        var builder = new TestModuleBuilder();
        uint callee = builder.Type([I64], None);
        builder.ImportFunction(callee);
        builder.Function(callee, Body(0x41, 0x01, 0x10, 0x00));
        Invalid(builder.Build(), "type mismatch");
    }

    [Fact]
    public void CallOfMissingFunctionIsUnknownFunction() =>
        Invalid(OneFunction(None, None, Body(0x10, 0x05)).Build(), "unknown function 5");

    [Fact]
    public void ValidatorStateDoesNotLeakBetweenFunctions()
    {
        var builder = new TestModuleBuilder();
        uint t = builder.Type(None, [I32]);
        builder.Function(t, Body(0x02, 0x7F, 0x41, 0x01, 0x0B));
        builder.Function(t, Body(0x41, 0x02));
        var module = builder.Build();
        Valid(module, 0);
        Valid(module, 1);
        Valid(module, 0);
    }

    // ---- Polymorphic stack ---------------------------------------------------------------------------------------

    [Fact]
    public void OperandsAfterUnreachableAreAnyType() =>
        // unreachable, i32.add, drop — both operands come from the polymorphic bottom.
        Valid(OneFunction(None, None, Body(0x00, 0x6A, 0x1A)).Build());

    [Fact]
    public void UnreachableSatisfiesTheFunctionResults() =>
        Valid(OneFunction(None, [I32, F64], Body(0x00)).Build());

    [Fact]
    public void KnownOperandsAfterUnreachableAreStillChecked() =>
        // unreachable, i64.const 0, i32.add
        Invalid(OneFunction(None, None, Body(0x00, 0x42, 0x00, 0x6A, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void CodeAfterBrIsPolymorphic() =>
        // block (result f32) f32.const 0, br 0, i32.add, drop, unreachable end, drop
        Valid(OneFunction(None, None, Body(0x02, 0x7D, 0x43, 0, 0, 0, 0, 0x0C, 0x00, 0x6A, 0x1A, 0x00, 0x0B, 0x1A)).Build());

    [Fact]
    public void PolymorphismEndsWithTheBlock() =>
        // block unreachable end, i32.add — outside the block the stack is empty again.
        Invalid(OneFunction(None, None, Body(0x02, 0x40, 0x00, 0x0B, 0x6A, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void UnreachableSelectYieldsAValueOfUnknownType() =>
        // unreachable, select, i64.eqz — the select result has unknown type, so it serves as an i64.
        Valid(OneFunction(None, [I32], Body(0x00, 0x1B, 0x50)).Build());

    // ---- Blocks and branches -------------------------------------------------------------------------------------

    [Fact]
    public void ValuesLeftInABlockAreATypeMismatch() =>
        Invalid(OneFunction(None, None, Body(0x02, 0x40, 0x41, 0x01, 0x0B)).Build(), "type mismatch");

    [Fact]
    public void FunctionResultOfWrongTypeIsATypeMismatch() =>
        Invalid(OneFunction(None, [I32], Body(0x42, 0x00)).Build(), "type mismatch");

    [Fact]
    public void MissingFunctionResultIsATypeMismatch() =>
        Invalid(OneFunction(None, [I32], Body()).Build(), "type mismatch");

    [Fact]
    public void IfWithoutElseCannotProduceResults() =>
        // i32.const 1, if (result i32) i32.const 2 end
        Invalid(OneFunction(None, [I32], Body(0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x0B)).Build(), "type mismatch");

    [Fact]
    public void IfWithoutElseMayPassItsParametersThrough()
    {
        var builder = new TestModuleBuilder();
        uint ifType = builder.Type([I32], [I32]);
        uint funcType = builder.Type(None, [I32]);
        // i32.const 5, i32.const 1, if (type 0) i32.const 1 i32.add end
        builder.Function(funcType, Body(0x41, 0x05, 0x41, 0x01, 0x04, (byte)ifType, 0x41, 0x01, 0x6A, 0x0B));
        Valid(builder.Build());
    }

    [Fact]
    public void IfConditionMustBeI32() =>
        Invalid(OneFunction(None, None, Body(0x42, 0x01, 0x04, 0x40, 0x0B)).Build(), "type mismatch");

    [Fact]
    public void ElseOutsideIfIsMalformed() =>
        Malformed(OneFunction(None, None, Body(0x02, 0x40, 0x05, 0x0B)).Build(), "END opcode expected");

    [Fact]
    public void SecondElseIsMalformed() =>
        Malformed(OneFunction(None, None, Body(0x41, 0x01, 0x04, 0x40, 0x05, 0x05, 0x0B)).Build(), "END opcode expected");

    [Fact]
    public void BranchToMissingLabelIsUnknownLabel() =>
        Invalid(OneFunction(None, None, Body(0x02, 0x40, 0x0C, 0x02, 0x0B)).Build(), "unknown label");

    [Fact]
    public void BranchToTheFunctionLabelNeedsTheResults() =>
        // block, br 1 (the function) with an i32 on the stack
        Valid(OneFunction(None, [I32], Body(0x02, 0x40, 0x41, 0x07, 0x0C, 0x01, 0x0B, 0x41, 0x00)).Build());

    [Fact]
    public void BrIfKeepsTheLabelValuesOnTheStack() =>
        // block (result i32) i32.const 1, i32.const 0, br_if 0 end
        Valid(OneFunction(None, [I32], Body(0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0D, 0x00, 0x0B)).Build());

    [Fact]
    public void BrTableWithMatchingTargetsIsValid() =>
        // block (result i32) block (result i32) i32.const 1, i32.const 0, br_table [0 1] 1 end end
        Valid(OneFunction(None, [I32], Body(0x02, 0x7F, 0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x01, 0x0B, 0x0B)).Build());

    [Fact]
    public void BrTableTargetsWithDifferentArityAreATypeMismatch() =>
        // block (result i32) block i32.const 0, br_table [0] 1 — label 0 has arity 0, label 1 arity 1
        Invalid(OneFunction(None, None, Body(0x02, 0x7F, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x41, 0x00, 0x0B, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void BrTableTargetsWithSameArityButDifferentTypesNeedMatchingOperands() =>
        // block (result f32) block (result i32) i32.const 1, i32.const 0, br_table [0] 1
        Invalid(OneFunction(None, None, Body(0x02, 0x7D, 0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x43, 0, 0, 0, 0, 0x0B, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void BrTableInUnreachableCodeAcceptsTargetsOfDifferentTypes() =>
        // block (result f32) block (result i32) unreachable, br_table [0] 1 end drop f32.const 0 end drop
        Valid(OneFunction(None, None, Body(0x02, 0x7D, 0x02, 0x7F, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x43, 0, 0, 0, 0, 0x0B, 0x1A)).Build());

    [Fact]
    public void BrTableToMissingLabelIsUnknownLabel() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x0E, 0x01, 0x05, 0x00)).Build(), "unknown label");

    [Fact]
    public void ReturnChecksTheFunctionResults() =>
        Invalid(OneFunction(None, [I32], Body(0x42, 0x00, 0x0F)).Build(), "type mismatch");

    [Fact]
    public void ThenBranchOfWrongTypeIsATypeMismatchAtElse() =>
        // i32.const 1, if (result i32) i64.const 0 else ...
        Invalid(OneFunction(None, [I32], Body(0x41, 0x01, 0x04, 0x7F, 0x42, 0x00, 0x05, 0x41, 0x00, 0x0B)).Build(), "type mismatch");

    [Fact]
    public void ElseBranchStartsWithTheIfParameters()
    {
        var builder = new TestModuleBuilder();
        uint ifType = builder.Type([I64], [I64]);
        uint funcType = builder.Type(None, [I64]);
        // i64.const 2, i32.const 1, if (type 0) i64.const 1 i64.add else i64.const 3 i64.mul end
        builder.Function(funcType, Body(0x42, 0x02, 0x41, 0x01, 0x04, (byte)ifType, 0x42, 0x01, 0x7C, 0x05, 0x42, 0x03, 0x7E, 0x0B));
        Valid(builder.Build());
    }

    [Fact]
    public void DeeplyNestedBlocksAreValidated()
    {
        const int depth = 100_000;
        var body = new List<byte> { 0x00 };
        for (int i = 0; i < depth; i++) body.AddRange([0x02, 0x40]);
        for (int i = 0; i < depth; i++) body.Add(0x0B);
        body.Add(0x0B);
        Valid(OneFunction(None, None, body.ToArray()).Build());
    }

    [Fact]
    public void TallOperandStacksAreValidated()
    {
        const int height = 100_000;
        var body = new List<byte> { 0x00 };
        for (int i = 0; i < height; i++) body.AddRange([0x41, 0x00]);
        for (int i = 0; i < height; i++) body.Add(0x1A);
        body.Add(0x0B);
        Valid(OneFunction(None, None, body.ToArray()).Build());
    }

    // ---- Body structure --------------------------------------------------------------------------------------

    [Fact]
    public void BodyWithoutFinalEndFollowedByMoreCodeIsMalformed()
    {
        var builder = new TestModuleBuilder();
        uint t = builder.Type(None, None);
        builder.Function(t, [0x00, 0x01]).Function(t, Body());
        Malformed(builder.Build(), "END opcode expected");
    }

    [Fact]
    public void BodyWithoutFinalEndAtEndOfModuleRunsOffTheModule() =>
        Malformed(OneFunction(None, None, [0x00, 0x01]).Build(), "unexpected end of section or function");

    [Fact]
    public void BytesAfterTheFinalEndAreMalformed() =>
        Malformed(OneFunction(None, None, [0x00, 0x0B, 0x01]).Build(), "section size mismatch");

    [Fact]
    public void ErrorsCarryTheAbsoluteOffsetAndFunctionIndex()
    {
        var builder = new TestModuleBuilder();
        uint t = builder.Type(None, None);
        builder.ImportFunction(t);
        builder.Function(t, Body(0x01, 0x6A));
        var e = Invalid(builder.Build(), "type mismatch");
        Assert.Equal(1, e.FunctionIndex);
        // header (8) + locals count (1) + nop (1)
        Assert.Equal(TestModuleBuilder.FirstBodyOffset + 2, e.ByteOffset);
    }

    // ---- Locals ---------------------------------------------------------------------------------------------------

    [Fact]
    public void LocalIndexBeyondTheLocalsIsUnknownLocal() =>
        Invalid(OneFunction([I32], None, Body(0x20, 0x01, 0x1A)).Build(), "unknown local 1");

    [Fact]
    public void LocalSetChecksTheLocalType() =>
        Invalid(OneFunction([I32], None, Body(0x42, 0x00, 0x21, 0x00)).Build(), "type mismatch");

    [Fact]
    public void LocalTeeLeavesTheValue() =>
        Valid(OneFunction([F64], [F64], Body(0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x22, 0x00)).Build());

    [Fact]
    public void DeclaredLocalsTotallingTwoToTheThirtyTwoAreTooMany() =>
        // 0xFFFFFFFF i32 + 2 i64
        Malformed(OneFunction(None, None, [0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x02, 0x7E, 0x0B]).Build(), "too many locals");

    [Fact]
    public void FourGroupsOfTwoToTheThirtyAreTooMany() =>
        Malformed(OneFunction([I32, I32], None,
            [0x04, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7F, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7E, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7D, 0x80, 0x80, 0x80, 0x80, 0x04, 0x7C, 0x0B]).Build(),
            "too many locals");

    [Fact]
    public void BillionsOfLocalsAreTrackedWithoutAllocatingPerLocal() =>
        // 0xFFFFFFFE i32 then 1 f64 (total 2^32 - 1): local.get 0xFFFFFFFE is the f64.
        Valid(OneFunction(None, [F64],
            [0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x01, 0x7C, 0x20, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B]).Build());

    [Fact]
    public void LocalCountThatDoesNotFitInU32IsTooLarge() =>
        Malformed(OneFunction(None, None, [0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x7F, 0x02, 0x7E, 0x0B]).Build(), "integer too large");

    [Fact]
    public void LocalOfUnknownTypeIsMalformed() =>
        Malformed(OneFunction(None, None, [0x01, 0x01, 0x7A, 0x0B]).Build(), "malformed value type");

    // ---- Globals --------------------------------------------------------------------------------------------------

    [Fact]
    public void GlobalSetOnImmutableGlobalIsRejected() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x24, 0x00), b => b.Global(I32, mutable: false)).Build(), "global is immutable");

    [Fact]
    public void GlobalSetOnMutableGlobalIsValid() =>
        Valid(OneFunction(None, None, Body(0x41, 0x00, 0x24, 0x00), b => b.Global(I32, mutable: true)).Build());

    [Fact]
    public void GlobalGetOfMissingGlobalIsUnknownGlobal() =>
        Invalid(OneFunction(None, None, Body(0x23, 0x01, 0x1A), b => b.Global(I32, mutable: false)).Build(), "unknown global 1");

    // ---- References -----------------------------------------------------------------------------------------------

    [Fact]
    public void RefFuncOfUndeclaredFunctionIsRejected() =>
        Invalid(OneFunction(None, None, Body(0xD2, 0x00, 0x1A)).Build(), "undeclared function reference");

    [Fact]
    public void RefFuncOfDeclaredFunctionIsValid() =>
        Valid(OneFunction(None, [FuncRef], Body(0xD2, 0x00), b => b.DeclareFunctionReference(0)).Build());

    [Fact]
    public void RefFuncOfMissingFunctionIsUnknownFunction() =>
        Invalid(OneFunction(None, None, Body(0xD2, 0x03, 0x1A)).Build(), "unknown function 3");

    [Fact]
    public void RefIsNullNeedsAReference() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0xD1, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void RefNullHasTheNamedType() =>
        Valid(OneFunction(None, [ExternRef], Body(0xD0, 0x6F)).Build());

    // ---- select ---------------------------------------------------------------------------------------------------

    [Fact]
    public void UntypedSelectOfNumbersIsValid() =>
        Valid(OneFunction(None, [F32], Body(0x43, 0, 0, 0, 0, 0x43, 0, 0, 0, 0, 0x41, 0x01, 0x1B)).Build());

    [Fact]
    public void UntypedSelectOfVectorsIsValid() =>
        Valid(OneFunction([V128, V128], [V128], Body(0x20, 0x00, 0x20, 0x01, 0x41, 0x01, 0x1B)).Build());

    [Fact]
    public void UntypedSelectOfReferencesIsATypeMismatch() =>
        Invalid(OneFunction([ExternRef], None, Body(0x20, 0x00, 0x20, 0x00, 0x41, 0x01, 0x1B, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void UntypedSelectOfDifferentNumbersIsATypeMismatch() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x01, 0x42, 0x01, 0x41, 0x01, 0x1B, 0x1A)).Build(), "type mismatch");

    [Fact]
    public void TypedSelectOfReferencesIsValid() =>
        Valid(OneFunction([ExternRef], [ExternRef], Body(0x20, 0x00, 0x20, 0x00, 0x41, 0x01, 0x1C, 0x01, 0x6F)).Build());

    [Fact]
    public void TypedSelectWithTwoTypesHasInvalidArity() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x01, 0x41, 0x01, 0x41, 0x01, 0x1C, 0x02, 0x7F, 0x7F, 0x1A)).Build(), "invalid result arity");

    [Fact]
    public void TypedSelectWithNoTypeHasInvalidArity() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x01, 0x41, 0x01, 0x41, 0x01, 0x1C, 0x00)).Build(), "invalid result arity");

    [Fact]
    public void SelectOnEmptyStackIsATypeMismatch() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x1B, 0x1A)).Build(), "type mismatch");

    // ---- Memory ---------------------------------------------------------------------------------------------------

    [Fact]
    public void LoadWithNaturalAlignmentIsValid() =>
        Valid(OneFunction(None, [I64], Body(0x41, 0x00, 0x29, 0x03, 0x08), b => b.Memory()).Build());

    [Fact]
    public void LoadWithAlignmentBeyondNaturalIsRejected() =>
        Invalid(OneFunction(None, [I32], Body(0x41, 0x00, 0x28, 0x03, 0x00), b => b.Memory()).Build(), "alignment must not be larger than natural");

    [Fact]
    public void NarrowStoreAlignmentIsBoundedByItsWidth() =>
        // i64.store8 align=1 (2 bytes) on a 1-byte access
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x42, 0x00, 0x3C, 0x01, 0x00), b => b.Memory()).Build(), "alignment must not be larger than natural");

    [Fact]
    public void LoadWithoutMemoryIsUnknownMemory() =>
        Invalid(OneFunction(None, [I32], Body(0x41, 0x00, 0x28, 0x02, 0x00)).Build(), "unknown memory 0");

    [Fact]
    public void MemoryGrowWithoutMemoryIsUnknownMemory() =>
        Invalid(OneFunction(None, [I32], Body(0x41, 0x00, 0x40, 0x00)).Build(), "unknown memory");

    [Fact]
    public void DataDropWithoutDataCountSectionIsMalformed() =>
        Malformed(OneFunction(None, None, Body(0xFC, 0x09, 0x00), b => b.Memory().PassiveData(1, withDataCountSection: false)).Build(), "data count section required");

    [Fact]
    public void DataDropOfExistingSegmentIsValid() =>
        Valid(OneFunction(None, None, Body(0xFC, 0x09, 0x00), b => b.PassiveData(1, withDataCountSection: true)).Build());

    [Fact]
    public void DataDropBeyondDataCountIsUnknownDataSegment() =>
        Invalid(OneFunction(None, None, Body(0xFC, 0x09, 0x01), b => b.PassiveData(1, withDataCountSection: true)).Build(), "unknown data segment 1");

    [Fact]
    public void MemoryInitChecksMemoryBeforeSegment() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x01, 0x00), b => b.PassiveData(1, withDataCountSection: true)).Build(), "unknown memory 0");

    [Fact]
    public void MemoryInitIsValidWithMemoryAndSegment() =>
        Valid(OneFunction(None, None, Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00), b => b.Memory().PassiveData(1, withDataCountSection: true)).Build());

    // ---- Tables ---------------------------------------------------------------------------------------------------

    [Fact]
    public void CallIndirectThroughFuncrefTableIsValid()
    {
        var builder = new TestModuleBuilder().Table(FuncRef);
        uint callee = builder.Type([I32], [I64]);
        uint caller = builder.Type(None, [I64]);
        // i32.const 1 (arg), i32.const 0 (index), call_indirect (type 0) table 0
        builder.Function(caller, Body(0x41, 0x01, 0x41, 0x00, 0x11, (byte)callee, 0x00));
        Valid(builder.Build());
    }

    [Fact]
    public void CallIndirectThroughExternrefTableIsATypeMismatch()
    {
        var builder = new TestModuleBuilder().Table(ExternRef);
        uint t = builder.Type(None, None);
        builder.Function(t, Body(0x41, 0x00, 0x11, 0x00, 0x00));
        Invalid(builder.Build(), "type mismatch");
    }

    [Fact]
    public void CallIndirectWithoutTableIsUnknownTable()
    {
        var builder = new TestModuleBuilder();
        uint t = builder.Type(None, None);
        builder.Function(t, Body(0x41, 0x00, 0x11, 0x00, 0x00));
        Invalid(builder.Build(), "unknown table 0");
    }

    [Fact]
    public void CallIndirectWithMissingTypeIsUnknownType()
    {
        var builder = new TestModuleBuilder().Table(FuncRef);
        uint t = builder.Type(None, None);
        builder.Function(t, Body(0x41, 0x00, 0x11, 0x09, 0x00));
        Invalid(builder.Build(), "unknown type 9");
    }

    [Fact]
    public void TableGetAndSetUseTheElementType() =>
        // i32.const 0, i32.const 0, table.get 0, table.set 0 — externref round trip
        Valid(OneFunction(None, None, Body(0x41, 0x00, 0x41, 0x00, 0x25, 0x00, 0x26, 0x00), b => b.Table(ExternRef)).Build());

    [Fact]
    public void TableSetOfWrongReferenceTypeIsATypeMismatch() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0xD0, 0x70, 0x26, 0x00), b => b.Table(ExternRef)).Build(), "type mismatch");

    [Fact]
    public void TableGrowAndFillAreValid() =>
        // ref.null extern, i32.const 1, table.grow 0, drop; i32.const 0, ref.null extern, i32.const 1, table.fill 0
        Valid(OneFunction(None, None, Body(0xD0, 0x6F, 0x41, 0x01, 0xFC, 0x0F, 0x00, 0x1A, 0x41, 0x00, 0xD0, 0x6F, 0x41, 0x01, 0xFC, 0x11, 0x00), b => b.Table(ExternRef)).Build());

    [Fact]
    public void TableInitWithMismatchedElementTypeIsATypeMismatch() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x00, 0x00), b => b.Table(ExternRef).PassiveElements(FuncRef)).Build(), "type mismatch");

    [Fact]
    public void TableInitChecksTableBeforeSegment() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x04, 0x00)).Build(), "unknown table 0");

    [Fact]
    public void ElemDropOfMissingSegmentIsUnknownElemSegment() =>
        Invalid(OneFunction(None, None, Body(0xFC, 0x0D, 0x04), b => b.PassiveElements(FuncRef)).Build(), "unknown elem segment 4");

    [Fact]
    public void TableCopyBetweenDifferentElementTypesIsATypeMismatch() =>
        Invalid(OneFunction(None, None, Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x01), b => b.Table(FuncRef).Table(ExternRef)).Build(), "type mismatch");

    [Fact]
    public void TableSizeOfMissingTableIsUnknownTable() =>
        Invalid(OneFunction(None, None, Body(0xFC, 0x10, 0x00, 0x1A)).Build(), "unknown table 0");

    // ---- SIMD -----------------------------------------------------------------------------------------------------

    [Fact]
    public void ExtractLaneWithinLaneCountIsValid() =>
        Valid(OneFunction([V128], [I32], Body(0x20, 0x00, 0xFD, 0x15, 0x0F)).Build());

    [Fact]
    public void ExtractLaneBeyondLaneCountIsInvalidLaneIndex() =>
        Invalid(OneFunction([V128], [I32], Body(0x20, 0x00, 0xFD, 0x15, 0x10)).Build(), "invalid lane index");

    [Fact]
    public void ReplaceLaneOfI64x2IsBoundedByTwo() =>
        Invalid(OneFunction([V128], [V128], Body(0x20, 0x00, 0x42, 0x00, 0xFD, 0x1E, 0x02)).Build(), "invalid lane index");

    [Fact]
    public void ShuffleLanesMayAddressBothOperands()
    {
        byte[] body = [0x20, 0x00, 0x20, 0x00, 0xFD, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31];
        Valid(OneFunction([V128], [V128], Body(body)).Build());
    }

    [Fact]
    public void ShuffleLaneOf32IsInvalidLaneIndex()
    {
        byte[] body = [0x20, 0x00, 0x20, 0x00, 0xFD, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32];
        Invalid(OneFunction([V128], [V128], Body(body)).Build(), "invalid lane index");
    }

    [Fact]
    public void LoadLaneChecksAlignmentAndLane()
    {
        // v128.load16_lane align=1 lane 7: valid; lane 8: invalid; align=2: invalid.
        Valid(OneFunction([V128], [V128], Body(0x41, 0x00, 0x20, 0x00, 0xFD, 0x55, 0x01, 0x00, 0x07), b => b.Memory()).Build());
        Invalid(OneFunction([V128], [V128], Body(0x41, 0x00, 0x20, 0x00, 0xFD, 0x55, 0x01, 0x00, 0x08), b => b.Memory()).Build(), "invalid lane index");
        Invalid(OneFunction([V128], [V128], Body(0x41, 0x00, 0x20, 0x00, 0xFD, 0x55, 0x02, 0x00, 0x07), b => b.Memory()).Build(), "alignment must not be larger than natural");
    }

    [Fact]
    public void V128LoadAllowsSixteenByteAlignment() =>
        Valid(OneFunction(None, [V128], Body(0x41, 0x00, 0xFD, 0x00, 0x04, 0x00), b => b.Memory()).Build());

    [Fact]
    public void SimdArithmeticChecksOperandTypes() =>
        // i32.const 0, i8x16.splat, f32.const 0, i8x16.add
        Invalid(OneFunction(None, [V128], Body(0x41, 0x00, 0xFD, 0x0F, 0x43, 0, 0, 0, 0, 0xFD, 0x6E)).Build(), "type mismatch");
}
