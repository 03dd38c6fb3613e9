using Sharptime.Benchmarks;

namespace Sharptime.Tests.Robustness;

/// <summary>Valid modules that exercise every section and most operator families; the mutation tests start from these.</summary>
internal static class MutationCorpus
{
    public static readonly string[] TextModules =
    [
        """
        (module $everything
          (type $binop (func (param i32 i32) (result i32)))
          (import "env" "f" (func $imported (type $binop)))
          (import "env" "g" (global $g_imported i32))
          (import "env" "t" (table 1 funcref))
          (memory (export "mem") 1 2)
          (global $g (mut i64) (i64.const -7))
          (global $gf f32 (f32.const 1.5))
          (table $t2 2 externref)
          (func $add (export "add") (type $binop) (local $tmp f64)
            (i32.add (local.get 0) (local.get 1)))
          (func $loops (param $n i32) (result i32) (local $acc i32)
            (block $done
              (loop $again
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $again)))
            (local.get $acc))
          (func $mem (param i32) (result i64)
            (i64.store offset=8 (local.get 0) (i64.const 42))
            (memory.fill (i32.const 0) (i32.const 1) (i32.const 4))
            (memory.copy (i32.const 8) (i32.const 0) (i32.const 4))
            (drop (memory.grow (i32.const 1)))
            (i64.load offset=8 align=4 (local.get 0)))
          (func $tables (result i32)
            (table.set $t2 (i32.const 0) (ref.null extern))
            (drop (table.grow $t2 (ref.null extern) (i32.const 1)))
            (call_indirect (type $binop) (i32.const 1) (i32.const 2) (i32.const 0)))
          (func $multi (result i32 i64)
            (block (result i32 i64) (i32.const 1) (i64.const 2)))
          (func $switch (param i32) (result i32)
            (block $a (block $b (block $c (br_table $a $b $c (local.get 0))) (return (i32.const 1))) (return (i32.const 2)))
            (i32.const 3))
          (func $floats (param f32 f64) (result f64)
            (f64.add (f64.promote_f32 (f32.sqrt (local.get 0))) (f64.nearest (local.get 1))))
          (func $simd (param v128) (result i32)
            (i32x4.extract_lane 2 (i32x4.add (local.get 0) (v128.const i32x4 1 2 3 4))))
          (func $refs (result i32) (ref.is_null (ref.func $add)))
          (func $sat (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
          (func $sel (param i32) (result f32) (select (f32.const 1) (f32.const 2) (local.get 0)))
          (func $start (global.set $g (i64.const 1)))
          (start $start)
          (elem (i32.const 0) $add)
          (elem $passive funcref (ref.func $loops) (ref.null func))
          (elem declare func $refs)
          (data (i32.const 16) "hello")
          (data $passive_data "\00\01\02")
          (func $bulk (memory.init $passive_data (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $passive_data)
            (table.init 0 $passive (i32.const 0) (i32.const 0) (i32.const 1)) (elem.drop $passive)))
        """,
        """
        (module
          (func $fac (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
        """,
    ];

    public static IReadOnlyList<byte[]> BinaryModules { get; } = Build();

    private static List<byte[]> Build()
    {
        var modules = new List<byte[]>();
        foreach (var text in TextModules) modules.Add(Module.ConvertText(text));
        modules.Add(SyntheticModule.Generate(16 * 1024, seed: 7));
        return modules;
    }
}
