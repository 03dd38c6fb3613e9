using Sharptime.Format;
using Sharptime.Validation;
using static Sharptime.Tests.Validation.V;

namespace Sharptime.Tests.Validation;

public class ConstExprValidatorTests
{
    private static (ModuleInfo Module, ConstExpr Expr) Expr(byte[] bytes, Action<TestModuleBuilder>? configure = null)
    {
        var builder = new TestModuleBuilder();
        configure?.Invoke(builder);
        builder.ConstExpr(bytes);
        var module = builder.Build(out var exprs);
        return (module, exprs[0]);
    }

    private static void Valid(byte[] bytes, ValType expected, Action<TestModuleBuilder>? configure = null, int visibleGlobals = int.MaxValue)
    {
        var (module, expr) = Expr(bytes, configure);
        ConstExprValidator.Validate(module, expr, expected, visibleGlobals, null);
    }

    private static void Invalid(byte[] bytes, ValType expected, string reasonPrefix, Action<TestModuleBuilder>? configure = null, int visibleGlobals = int.MaxValue)
    {
        var (module, expr) = Expr(bytes, configure);
        var e = Assert.Throws<InvalidModuleException>(() => ConstExprValidator.Validate(module, expr, expected, visibleGlobals, null));
        Assert.StartsWith(reasonPrefix, e.Reason);
    }

    [Fact]
    public void NumericConstantsOfTheExpectedTypeAreValid()
    {
        Valid([0x41, 0x2A, 0x0B], I32);
        Valid([0x42, 0x2A, 0x0B], I64);
        Valid([0x43, 0, 0, 0, 0, 0x0B], F32);
        Valid([0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B], F64);
    }

    [Fact]
    public void V128ConstIsConstant() =>
        Valid([0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0B], V128);

    [Fact]
    public void ConstantOfAnotherTypeIsATypeMismatch() => Invalid([0x43, 0, 0, 0, 0, 0x0B], I32, "type mismatch");

    [Fact]
    public void TwoConstantsAreATypeMismatch() => Invalid([0x41, 0x00, 0x41, 0x00, 0x0B], I32, "type mismatch");

    [Fact]
    public void EmptyExpressionIsATypeMismatch() => Invalid([0x0B], I32, "type mismatch");

    [Fact]
    public void NonConstantOperatorIsRejected() => Invalid([0x41, 0x00, 0x41, 0x00, 0x6A, 0x0B], I32, "constant expression required");

    [Fact]
    public void NopIsNotConstant() => Invalid([0x01, 0x0B], I32, "constant expression required");

    [Fact]
    public void RefNullOfTheExpectedTypeIsValid() => Valid([0xD0, 0x6F, 0x0B], ExternRef);

    [Fact]
    public void RefNullOfTheOtherReferenceTypeIsATypeMismatch() => Invalid([0xD0, 0x70, 0x0B], ExternRef, "type mismatch");

    [Fact]
    public void RefFuncIsRecordedAsADeclaredReference()
    {
        var (module, expr) = Expr([0xD2, 0x01, 0x0B], b =>
        {
            uint t = b.Type([], []);
            b.ImportFunction(t).ImportFunction(t);
        });
        var references = new HashSet<uint>();
        ConstExprValidator.Validate(module, expr, FuncRef, 0, references);
        Assert.Equal([1u], references);
    }

    [Fact]
    public void RefFuncOfMissingFunctionIsUnknownFunction() => Invalid([0xD2, 0x07, 0x0B], FuncRef, "unknown function 7");

    [Fact]
    public void GlobalGetOfVisibleImmutableGlobalIsValid() =>
        Valid([0x23, 0x00, 0x0B], I64, b => b.Global(I64, mutable: false), visibleGlobals: 1);

    [Fact]
    public void GlobalGetOfMutableGlobalIsNotConstant() =>
        Invalid([0x23, 0x00, 0x0B], I32, "constant expression required", b => b.Global(I32, mutable: true), visibleGlobals: 1);

    [Fact]
    public void GlobalGetBeyondTheVisibleGlobalsIsUnknownGlobal() =>
        Invalid([0x23, 0x01, 0x0B], I32, "unknown global 1", b => b.Global(I32, false).Global(I32, false), visibleGlobals: 1);

    [Fact]
    public void GlobalGetOfTheWrongTypeIsATypeMismatch() =>
        Invalid([0x23, 0x00, 0x0B], FuncRef, "type mismatch", b => b.Global(ExternRef, false), visibleGlobals: 1);

    [Fact]
    public void ExpressionWithoutEndIsMalformed()
    {
        var (module, expr) = Expr([0x41, 0x00]);
        var e = Assert.Throws<MalformedModuleException>(() => ConstExprValidator.Validate(module, expr, I32, 0, null));
        Assert.StartsWith("unexpected end of section or function", e.Reason);
    }

    [Fact]
    public void IllegalOpcodeInExpressionIsMalformed()
    {
        var (module, expr) = Expr([0xF3, 0x00, 0x0B]);
        var e = Assert.Throws<MalformedModuleException>(() => ConstExprValidator.Validate(module, expr, I32, 0, null));
        Assert.StartsWith("illegal opcode", e.Reason);
    }

    [Fact]
    public void ExpressionRangeOutsideTheModuleIsMalformedNotACrash()
    {
        var module = new TestModuleBuilder().Build();
        Assert.Throws<MalformedModuleException>(() => ConstExprValidator.Validate(module, new ConstExpr(4, 100), I32, 0, null));
    }
}
