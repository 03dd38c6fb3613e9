using Sharptime.ComponentModel.Text;
using Sharptime.Text;

namespace Sharptime.ComponentModel.Tests.Text;

/// <summary>Scripts with components: the script model keeps them unencoded; ComponentModel encodes them.</summary>
public sealed class WastComponentTests
{
    [Fact]
    public void ComponentFormsInEveryCommand()
    {
        var script = WastScript.Parse("""
            (component $A (type u8))
            (component binary "\00asm" "\0d\00\01\00")
            (component definition $D (import "f" (func)))
            (component instance $i $D)
            (assert_invalid (component (type (list $x))) "unknown")
            (assert_malformed (component quote "(type") "unexpected")
            (assert_unlinkable (component (import "x" (func))) "missing")
            (assert_trap (component (core module)) "unreachable")
            (module (func))
            """, "t.wast");
        var c = script.Commands;
        Assert.Equal(9, c.Count);
        var a = Assert.IsType<WastModuleCommand>(c[0]).Module;
        Assert.Equal((WastModuleKind.ComponentText, "A", false), (a.Kind, a.Name, a.IsDefinition));
        Assert.True(a.IsComponent);
        Assert.Equal([0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00, 7, 2, 1, 0x7d], ComponentWat.Encode(a));
        var binary = Assert.IsType<WastModuleCommand>(c[1]).Module;
        Assert.Equal(WastModuleKind.ComponentBinary, binary.Kind);
        Assert.Equal(8, ComponentWat.Encode(binary).Length);
        var definition = Assert.IsType<WastModuleCommand>(c[2]).Module;
        Assert.Equal(("D", true), (definition.Name, definition.IsDefinition));
        Assert.Equal(new WastInstanceCommand(4, "i", "D"), c[3]);
        Assert.Throws<MalformedModuleException>(() => ComponentWat.Encode(Assert.IsType<WastAssertInvalid>(c[4]).Module));
        var quote = Assert.IsType<WastAssertMalformed>(c[5]).Module;
        Assert.Equal(WastModuleKind.ComponentQuote, quote.Kind);
        Assert.Throws<MalformedModuleException>(() => ComponentWat.Encode(quote));
        Assert.True(Assert.IsType<WastAssertUnlinkable>(c[6]).Module.IsComponent);
        Assert.True(Assert.IsType<WastAssertTrap>(c[7]).Module!.IsComponent);
        // Core modules still go through the core encoder; the runtime refuses to encode components itself.
        var core = Assert.IsType<WastModuleCommand>(c[8]).Module;
        Assert.False(core.IsComponent);
        Assert.Equal(core.Encode(), ComponentWat.Encode(core));
        Assert.Throws<InvalidOperationException>(() => a.Encode());
    }

    [Fact]
    public void ComponentValuesAreKeptAsText()
    {
        var script = WastScript.Parse("""
            (component (type u8))
            (assert_return (invoke "f" (str.const "a") (record.const (field "x" (u32.const 1)))) (option.some (bool.const true)))
            (invoke "g" (char.const "x") (list.const (u8.const 1) (u8.const 2)))
            """);
        var ret = Assert.IsType<WastAssertReturn>(script.Commands[1]);
        var args = ((WastInvoke)ret.Action).Args;
        Assert.Equal("(str.const \"a\")", args[0].OpaqueText);
        Assert.Equal("(record.const (field \"x\" (u32.const 1)))", args[1].OpaqueText);
        Assert.True(ret.Expected[0].IsOpaque);
        Assert.Throws<InvalidOperationException>(() => ret.Expected[0].MatchesNumeric(new byte[16]));
        Assert.Equal(2, ((WastInvoke)((WastActionCommand)script.Commands[2]).Action).Args.Length);
        // Core constants keep their meaning.
        var core = WastScript.Parse("(module) (assert_return (invoke \"f\") (i32.const 7))");
        Assert.False(((WastAssertReturn)core.Commands[1]).Expected[0].IsOpaque);
        Assert.Throws<MalformedModuleException>(() => WastScript.Parse("(assert_return (invoke \"f\") (frob.nicate 1))"));
    }

    [Fact]
    public void LexicalErrorsInsideAComponentSurfaceWhenItIsEncoded()
    {
        var script = WastScript.Parse("(assert_malformed (component (import \"\\zz\" (func))) \"invalid string escape\")");
        var module = Assert.IsType<WastAssertMalformed>(script.Commands[0]).Module;
        var e = Assert.Throws<MalformedModuleException>(() => ComponentWat.Encode(module));
        Assert.Contains("escape", e.Reason);
    }
}
