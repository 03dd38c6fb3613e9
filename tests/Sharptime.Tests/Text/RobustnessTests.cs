using Sharptime.Text;

namespace Sharptime.Tests.Text;

/// <summary>Whatever the input, the text front end ends, and only with a MalformedModuleException.</summary>
public class RobustnessTests
{
    private const string Sample = """
        (module $m
          (type $t (func (param i32) (result i32)))
          (import "spectest" "print_i32" (func $print (param i32)))
          (memory (export "mem") 1 2)
          (table $tab 2 funcref)
          (global $g (mut i64) (i64.const -0x10))
          (func $f (export "f") (type $t) (param $x i32) (result i32) (local $y f64) (local v128)
            (block $b (result i32)
              (if (result i32) (local.get $x) (then (br $b (i32.const 1))) (else (i32.const 2)))
            )
            (drop (f32.const 0x1.8p3))
            (drop (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
            (call_indirect $tab (type $t) (i32.const 0) (i32.const 0))
            i32.add
            (i32.store offset=4 align=2 (i32.const 0) (i32.const 7))
          )
          (elem (table $tab) (i32.const 0) func $f)
          (data (i32.const 0) "abc\n\u{41}")
          (start $print)
        )
        """;

    private static void OnlyMalformed(string text)
    {
        try
        {
            Wat.ToBinary(text);
        }
        catch (MalformedModuleException)
        {
        }
        try
        {
            var script = WastScript.Parse(text);
            foreach (var c in script.Commands)
            {
                if (c is WastModuleCommand mc) mc.Module.Encode();
            }
        }
        catch (MalformedModuleException)
        {
        }
    }

    [Fact]
    public void SampleModuleEncodes()
    {
        Assert.NotEmpty(Wat.ToBinary(Sample));
    }

    [Fact]
    public void EveryPrefixOfAModuleFailsCleanly()
    {
        for (int i = 0; i < Sample.Length; i++) OnlyMalformed(Sample[..i]);
    }

    [Fact]
    public void RandomMutationsFailCleanly()
    {
        var rng = new Random(12345);
        const string alphabet = "()$\";\\ 0123456789abcdefxp._-+=nai\u00e9\n\u0000\uD800";
        for (int round = 0; round < 3000; round++)
        {
            var chars = Sample.ToCharArray().ToList();
            int edits = rng.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                int pos = rng.Next(chars.Count);
                switch (rng.Next(3))
                {
                    case 0: chars.RemoveAt(pos); break;
                    case 1: chars.Insert(pos, alphabet[rng.Next(alphabet.Length)]); break;
                    default: chars[pos] = alphabet[rng.Next(alphabet.Length)]; break;
                }
            }
            OnlyMalformed(new string(chars.ToArray()));
        }
    }

    [Theory]
    [InlineData("(module (func (f64.const 0x1p99999999999999999999)))")]
    [InlineData("(module (func (f64.const 1e-99999999999999999999)))")]
    [InlineData("(module (func (i64.const 99999999999999999999999999999)))")]
    [InlineData("(module (memory 99999999999))")]
    [InlineData("(module (func (br_table)))")]
    [InlineData("(module (func (v128.const)))")]
    [InlineData("(module (func (i8x16.shuffle)))")]
    [InlineData("(module (elem))")]
    [InlineData("(module (table))")]
    [InlineData("(module (import))")]
    [InlineData("(module (export \"x\" (func)))")]
    [InlineData("(module (type (func (param $x))))")]
    [InlineData("((((")]
    [InlineData("))))")]
    [InlineData("(module) (module)")]
    public void EdgeInputsFailCleanly(string text)
    {
        OnlyMalformed(text);
    }

    [Fact]
    public void DeepNestingOnASmallStackFailsCleanly()
    {
        string text = "(module (func " + string.Concat(Enumerable.Repeat("(if (i32.const 0) (then ", 999)) + string.Concat(Enumerable.Repeat("))", 999)) + "))";
        Exception? unexpected = null;
        var thread = new Thread(() =>
        {
            try
            {
                Wat.ToBinary(text);
            }
            catch (MalformedModuleException)
            {
            }
            catch (Exception e)
            {
                unexpected = e;
            }
        }, 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Null(unexpected);
    }

    [Fact]
    public void HugeExponentFloatLiteralsAreQuick()
    {
        Assert.Throws<MalformedModuleException>(() => Wat.ToBinary("(module (func (drop (f64.const 1e999999999))))"));
        Wat.ToBinary("(module (func (drop (f64.const 1e-999999999)) (drop (f32.const 0x1p-99999999))))");
    }
}
