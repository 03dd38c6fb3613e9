namespace Sharptime.SpecTests;

/// <summary>The differential test is only as good as its notion of "the same module".</summary>
public sealed class ModuleNormalizerTests
{
    private static string Normalize(string wat) => ModuleNormalizer.Normalize(Module.ConvertText(wat));

    [Fact]
    public void IndexAndExpressionElementSegmentsNormalizeAlike()
    {
        Assert.Equal(
            Normalize("(module (table 2 funcref) (func $f) (elem (i32.const 0) func $f $f))"),
            Normalize("(module (table 2 funcref) (func $f) (elem (i32.const 0) funcref (ref.func $f) (ref.func $f)))"));
    }

    [Fact]
    public void TypeIndexBlockTypeNormalizesLikeTheShortForm()
    {
        Assert.Equal(
            Normalize("(module (type $r (func (result i32))) (func (result i32) (block (type $r) (i32.const 1))))"),
            Normalize("(module (type $r (func (result i32))) (func (result i32) (block (result i32) (i32.const 1))))"));
    }

    [Fact]
    public void DifferentElementItemsNormalizeDifferently()
    {
        Assert.NotEqual(
            Normalize("(module (table 2 funcref) (func $f) (func $g) (elem (i32.const 0) func $f))"),
            Normalize("(module (table 2 funcref) (func $f) (func $g) (elem (i32.const 0) func $g))"));
    }

    [Fact]
    public void DifferentCodeNormalizesDifferently()
    {
        Assert.NotEqual(
            Normalize("(module (func (result i32) (i32.const 1)))"),
            Normalize("(module (func (result i32) (i32.const 2)))"));
    }
}
