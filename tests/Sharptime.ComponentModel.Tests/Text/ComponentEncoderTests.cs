using Sharptime.ComponentModel.Text;
using Sharptime.Text;

namespace Sharptime.ComponentModel.Tests.Text;

/// <summary>
/// The component text encoder, checked byte by byte against the binary format's productions: preamble, sections,
/// index spaces and the abbreviations that expand into several definitions.
/// </summary>
public sealed class ComponentEncoderTests
{
    private static readonly byte[] Preamble = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00];

    /// <summary>The encoding minus the preamble (which is checked once).</summary>
    private static byte[] Body(string text)
    {
        var bytes = ComponentWat.ToBinary(text);
        Assert.Equal(Preamble, bytes[..8]);
        return bytes[8..];
    }

    private static void Malformed(string text, string reasonPart)
    {
        var e = Assert.Throws<MalformedModuleException>(() => ComponentWat.ToBinary(text));
        Assert.Contains(reasonPart, e.Reason);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void EmptyComponentIsThePreambleAlone()
    {
        Assert.Empty(Body("(component)"));
        Assert.Empty(Body("(component $c)"));
        Assert.Empty(Body(""));
    }

    [Fact]
    public void PrimitiveAndCompoundTypesShareOneTypeSection()
    {
        // type section (7): 3 types; u32 = 0x79; (list u8) = 0x70 0x7d; (record (field "a" 0)) = 0x72 1 "a" 0
        Assert.Equal(
            new byte[] { 7, 9, 3, 0x79, 0x70, 0x7d, 0x72, 1, 1, (byte)'a', 0 },
            Body("(component (type $u u32) (type (list u8)) (type (record (field \"a\" $u))))"));
    }

    [Fact]
    public void InlineValueTypesBecomeTypeDefinitionsFirst()
    {
        // (option (list string)) defines (list string) as type 0, then (option 0) as type 1.
        Assert.Equal(new byte[] { 7, 5, 2, 0x70, 0x73, 0x6b, 0 }, Body("(component (type (option (list string))))"));
    }

    [Fact]
    public void VariantsResultsEnumsFlagsAndHandles()
    {
        // Each case: label, optional type (0x00 | 0x01 t), then the 0x00 that ends it.
        Assert.Equal(new byte[] { 7, 12, 1, 0x71, 2, 1, (byte)'a', 0x00, 0x00, 1, (byte)'b', 0x01, 0x79, 0x00 },
            Body("(component (type (variant (case \"a\") (case \"b\" u32))))"));
        Assert.Equal(new byte[] { 7, 4, 1, 0x6a, 0x00, 0x00 }, Body("(component (type (result)))"));
        Assert.Equal(new byte[] { 7, 6, 1, 0x6a, 0x01, 0x79, 0x01, 0x73 }, Body("(component (type (result u32 (error string))))"));
        Assert.Equal(new byte[] { 7, 7, 1, 0x6d, 2, 1, (byte)'x', 1, (byte)'y' }, Body("(component (type (enum \"x\" \"y\")))"));
        Assert.Equal(new byte[] { 7, 5, 1, 0x6e, 1, 1, (byte)'x' }, Body("(component (type (flags \"x\")))"));
        // A resource, then own and borrow of it.
        Assert.Equal(new byte[] { 7, 8, 3, 0x3f, 0x7f, 0x00, 0x69, 0, 0x68, 0 },
            Body("(component (type $r (resource (rep i32))) (type (own $r)) (type (borrow $r)))"));
    }

    [Fact]
    public void TypeIndicesInValueTypesAreSignedLeb()
    {
        // Index 64 would read as a negative (primitive-range) SLEB if written as one byte: it takes two.
        var text = "(component " + string.Concat(Enumerable.Repeat("(type u8) ", 64)) + "(type (list 64)))";
        var body = Body(text);
        Assert.Equal(new byte[] { 0x70, 0xC0, 0x00 }, body[^3..]);
    }

    [Fact]
    public void FunctionTypes()
    {
        // 0x40, params vec(label valtype), result 0x00 t | 0x01 0x00.
        Assert.Equal(new byte[] { 7, 8, 1, 0x40, 1, 1, (byte)'x', 0x79, 0x00, 0x73 },
            Body("(component (type (func (param \"x\" u32) (result string))))")[..10]);
        Assert.Equal(new byte[] { 7, 5, 1, 0x43, 0, 0x01, 0x00 }, Body("(component (type (func async)))"));
    }

    [Fact]
    public void InstanceTypesHaveTheirOwnIndexSpace()
    {
        // (instance (type $t u8) (export "t" (type (eq $t)))): decls 0x01 type, 0x04 export; $t is 0 inside.
        Assert.Equal(
            new byte[] { 7, 12, 1, 0x42, 2, 0x01, 0x7d, 0x04, 0x00, 1, (byte)'t', 0x03, 0x00, 0x00 },
            Body("(component (type (instance (type $t u8) (export \"t\" (type (eq $t))))))"));
    }

    [Fact]
    public void OuterTypeIdentifiersInsideTypesBecomeOuterAliases()
    {
        // $s is type 0 of the component; inside the instance type it is reached by alias outer 1 0 (type).
        var body = Body("(component (type $s string) (type (instance (export \"s\" (type (eq $s))))))");
        Assert.Equal(new byte[] { 0x42, 2, 0x02, 0x03, 0x02, 1, 0, 0x04, 0x00, 1, (byte)'s', 0x03, 0x00, 0x00 }, body[4..]);
    }

    [Fact]
    public void ImportsWithInlineFunctionTypes()
    {
        // The inline signature becomes type 0; the import is func 0 of type 0.
        Assert.Equal(
            new byte[] { 7, 5, 1, 0x40, 0, 0x01, 0x00, 10, 6, 1, 0x00, 1, (byte)'f', 0x01, 0 },
            Body("(component (import \"f\" (func $f)))"));
    }

    [Fact]
    public void InterfaceNamesAndAttributes()
    {
        var name = "a:b/c@1.0.0"u8.ToArray();
        var body = Body("(component (import \"a:b/c@1.0.0\" (instance)))");
        // type section with (instance) then import: 0x00 len name, externtype 0x05 0.
        Assert.Equal(new byte[] { 7, 3, 1, 0x42, 0 }, body[..5]);
        Assert.Equal([10, (byte)(3 + name.Length + 2), 1, 0x00, (byte)name.Length, .. name, 0x05, 0], body[5..]);
        // With an attribute the name is written with tag 0x02 and a vector of attributes.
        var attributed = Body("(component (import \"a\" (external-id \"x\") (func)))");
        Assert.Equal(new byte[] { 10, 10, 1, 0x02, 1, (byte)'a', 1, 0x02, 1, (byte)'x', 0x01, 0 }, attributed[7..]);
        Malformed("(component (import \"a\" (external-id \"x\") (external-id \"y\") (func)))", "unexpected token");
    }

    [Fact]
    public void CoreModulesAreEncodedByTheCoreEncoder()
    {
        var body = Body("(component (core module $m (func (export \"f\"))))");
        Assert.Equal(1, body[0]);
        var module = Wat.ToBinary("(module $m (func (export \"f\")))");
        Assert.Equal(module.Length, body[1]);
        Assert.Equal(module, body[2..]);
    }

    [Fact]
    public void CoreInstancesAndInlineCoreAliases()
    {
        var body = Body("""
            (component
              (core module $m (func (export "f")))
              (core instance $i (instantiate $m))
              (core func $f (alias core export $i "f"))
              (core instance (export "g" (func $i "f"))))
            """);
        int at = 2 + body[1]; // past the module section
        byte[] expected =
        [
            2, 4, 1, 0x00, 0, 0,                                        // core instance 0: instantiate module 0
            6, 13, 2,                                                   // one alias section, two aliases:
            0x00, 0x00, 0x01, 0, 1, (byte)'f',                          //   core func 0 = core export "f" of 0
            0x00, 0x00, 0x01, 0, 1, (byte)'f',                          //   core func 1, from (func $i "f")
            2, 7, 1, 0x01, 1, 1, (byte)'g', 0x00, 1,                    // core instance 1 exports core func 1
        ];
        Assert.Equal(expected, body[at..]);
    }

    [Fact]
    public void CanonLiftWithInlineTypeAndExportsAtTheEnd()
    {
        var body = Body("""
            (component
              (core module $m (memory (export "mem") 1) (func (export "f") (result i32) i32.const 0))
              (core instance $i (instantiate $m))
              (func $f (export "f") (result u32) (canon lift (core func $i "f") (memory (core memory $i "mem"))))
              (type u8))
            """);
        int at = 2 + body[1] + 6; // module section, core instance section
        var rest = body[at..];
        byte[] expected =
        [
            7, 5, 1, 0x40, 0, 0x00, 0x79,                               // type 0 = (func (result u32))
            6, 15, 2,                                                   // aliases from the canon's references:
            0x00, 0x00, 0x01, 0, 1, (byte)'f',                          //   core func 0 = $i "f"
            0x00, 0x02, 0x01, 0, 3, (byte)'m', (byte)'e', (byte)'m',    //   core memory 0 = $i "mem"
            8, 8, 1, 0x00, 0x00, 0, 1, 0x03, 0, 0,                      // canon lift core func 0 (memory 0) type 0
            7, 2, 1, 0x7d,                                              // (type u8) is type 1
            11, 7, 1, 0x00, 1, (byte)'f', 0x01, 0, 0x00,                // the inline export comes last
        ];
        Assert.Equal(expected, rest);
    }

    [Fact]
    public void CanonLowerAndResourceBuiltins()
    {
        var body = Body("""
            (component
              (import "f" (func $f))
              (type $r (resource (rep i32)))
              (core func (canon lower (func $f) string-encoding=utf16))
              (canon resource.new $r (core func $new))
              (core func (canon resource.drop $r))
              (core func (canon resource.rep $r)))
            """);
        // canon section: lower func 0 with one option (utf16), then resource.new/drop/rep of type 1.
        Assert.Equal(new byte[] { 8, 12, 4, 0x01, 0x00, 0, 1, 0x01, 0x02, 1, 0x03, 1, 0x04, 1 }, body[^14..]);
    }

    [Fact]
    public void NestedComponentsInstancesAndOuterAliases()
    {
        var body = Body("""
            (component $outer
              (type $t u8)
              (component $c
                (alias outer $outer $t (type $u))
                (import "x" (type (eq $u))))
              (instance $i (instantiate $c (with "x" (type $t))))
              (alias export $i "y" (func $g))
              (export "g" (func $g)))
            """);
        var nested = new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00, 6, 5, 1, 0x03, 0x02, 1, 0, 10, 7, 1, 0x00, 1, (byte)'x', 0x03, 0x00, 0 };
        byte[] expected =
        [
            7, 2, 1, 0x7d,
            4, (byte)nested.Length, .. nested,
            5, 8, 1, 0x00, 0, 1, 1, (byte)'x', 0x03, 0,                // instantiate component 0 with "x" (type 0)
            6, 6, 1, 0x01, 0x00, 0, 1, (byte)'y',                      // alias export 0 "y" (func)
            11, 7, 1, 0x00, 1, (byte)'g', 0x01, 0, 0x00,               // export "g" (func 0)
        ];
        Assert.Equal(expected, body);
    }

    [Fact]
    public void InlineInstanceArgumentsAreInstancesOfTheirOwn()
    {
        var body = Body("""
            (component
              (import "f" (func $f))
              (component $c)
              (instance (instantiate $c (with "i" (instance (export "f" (func $f)))))))
            """);
        // Instance 0 bundles func 0; instance 1 instantiates component 0 with it (one section, two instances).
        Assert.Equal(new byte[] { 5, 15, 2, 0x01, 1, 0x00, 1, (byte)'f', 0x01, 0, 0x00, 0, 1, 1, (byte)'i', 0x05, 0 }, body[^17..]);
    }

    [Fact]
    public void ExportsDefineNewIndices()
    {
        // The export of func 0 is func 1: a later export can name it.
        var body = Body("(component (import \"f\" (func $f)) (export $e \"g\" (func $f)) (export \"h\" (func $e)))");
        Assert.Equal(new byte[] { 11, 13, 2, 0x00, 1, (byte)'g', 0x01, 0, 0x00, 0x00, 1, (byte)'h', 0x01, 1, 0x00 }, body[^15..]);
    }

    [Fact]
    public void StartDefinitions()
    {
        var body = Body("(component (import \"f\" (func $f (result u32))) (start $f (result (value $v))) (export \"v\" (value $v)))");
        Assert.Equal(new byte[] { 9, 3, 0, 0, 1 }, body[15..20]);
        Assert.Equal(new byte[] { 11, 7, 1, 0x00, 1, (byte)'v', 0x02, 0, 0x00 }, body[20..]);
    }

    [Fact]
    public void IdentifierErrors()
    {
        Malformed("(component (type (list $nope)))", "unknown type $nope");
        Malformed("(component (type $t u8) (type $t u8))", "duplicate type identifier $t");
        Malformed("(component (core instance (instantiate $m)))", "unknown core module $m");
        Malformed("(component (alias outer $nope 0 (type)))", "unknown component or type $nope");
        Malformed("(component (func (canon lift (core func 0) (type 0)) extra))", "unexpected token");
    }

    [Fact]
    public void MalformedInputIsReportedWithPosition()
    {
        var e = Assert.Throws<MalformedModuleException>(() => ComponentWat.ToBinary("(component\n  (type (frobnicate)))"));
        Assert.Equal(2, e.Line);
        Malformed("(component (type (list u8 0x1_0000_0000)))", "constant out of range");
        Malformed("(component (import \"\\ff\" (func)))", "malformed UTF-8");
        Malformed("(component (type (func (result \"a\" u32))))", "named results");
        Malformed("(component", "unexpected end");
    }

    [Fact]
    public void DeepNestingIsMalformedNotACrash()
    {
        var deepList = "(component (type " + string.Concat(Enumerable.Repeat("(list ", 20_000)) + "u8" + new string(')', 20_000) + "))";
        Malformed(deepList, "nesting too deep");
        var deepComponents = string.Concat(Enumerable.Repeat("(component ", 20_000)) + new string(')', 20_000);
        Malformed(deepComponents, "nesting too deep");
        var deepTypes = "(component (type " + string.Concat(Enumerable.Repeat("(instance (type ", 20_000)) + "u8" + new string(')', 40_000) + "))";
        Malformed(deepTypes, "nesting too deep");
    }

    [Theory]
    [InlineData("(component (type (tuple 0")]
    [InlineData("(component (type (tuple u8")]
    [InlineData("(component (core type (func (param i32")]
    [InlineData("(component (alias outer 0")]
    [InlineData("(component (type (record (field \"a\" 0")]
    public async Task TruncatedInputEndsInAnErrorNotALoop(string text)
    {
        // Found by fuzzing: a cursor that stepped back at the end of input re-read the last index forever.
        var run = Task.Run(() => Assert.Throws<MalformedModuleException>(() => ComponentWat.ToBinary(text)));
        await run.WaitAsync(TimeSpan.FromSeconds(30)); // TimeoutException if the encoder does not finish
    }

    private const string SampleComponent = """
        (component $c
          (type $r (resource (rep i32)))
          (import "a:b/c@1.0.0" (instance $i (export "f" (func (param "x" (list (tuple u8 string))) (result (own 0))))))
          (core module $m (memory (export "mem") 1) (func (export "f") (param i32 i32) (result i32) local.get 0))
          (core instance $ci (instantiate $m))
          (core func $lo (canon lower (func $i "f") (memory (core memory $ci "mem")) string-encoding=latin1+utf16))
          (func $g (export "g") (param "a" u32) (result u32) (canon lift (core func $ci "f") (memory $ci "mem")))
          (component $n (alias outer $c $r (type $rr)) (import "t" (type (eq $rr))))
          (instance (instantiate $n (with "t" (type $r))))
          (export "h" (func $g)))
        """;

    [Fact]
    public void MutatedComponentsFailCleanly()
    {
        // Seeded random edits (deletions, duplicated spans, stray characters) of a component that uses most forms:
        // every result either encodes or is malformed; nothing else escapes and nothing hangs.
        var rng = new Random(20261121);
        const string alphabet = "()$\" 0a\"";
        for (int k = 0; k < 3000; k++)
        {
            var chars = new System.Text.StringBuilder(SampleComponent);
            for (int e = rng.Next(1, 4); e > 0 && chars.Length > 0; e--)
            {
                int at = rng.Next(chars.Length);
                switch (rng.Next(3))
                {
                    case 0: chars.Remove(at, Math.Min(rng.Next(1, 20), chars.Length - at)); break;
                    case 1: chars.Insert(at, SampleComponent.Substring(rng.Next(SampleComponent.Length - 12), 12)); break;
                    default: chars[at] = alphabet[rng.Next(alphabet.Length)]; break;
                }
            }
            try
            {
                ComponentWat.ToBinary(chars.ToString());
            }
            catch (MalformedModuleException)
            {
            }
        }
    }

    [Fact]
    public void EveryPrefixOfAComponentFailsCleanly()
    {
        // Cutting a valid component anywhere must give a MalformedModuleException, never another exception or a hang.
        const string text = SampleComponent;
        Assert.NotEmpty(ComponentWat.ToBinary(text));
        for (int cut = 0; cut < text.Length; cut++)
        {
            try
            {
                ComponentWat.ToBinary(text[..cut]);
            }
            catch (MalformedModuleException)
            {
            }
        }
    }
}
