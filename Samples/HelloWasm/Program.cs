using Sharptime;

// The first thing a newcomer runs: load a module from text, let Sharptime decode and validate it,
// and look at what it needs and offers. Running its code arrives with the JIT.
const string Wat = """
    (module $hello
      (import "host" "print" (func $print (param i32 i32)))
      (memory (export "memory") 1)
      (data (i32.const 16) "Hello, WebAssembly!")
      (func (export "greet")
        (call $print (i32.const 16) (i32.const 19)))
      (func $add (export "add") (param $a i32) (param $b i32) (result i32)
        (i32.add (local.get $a) (local.get $b))))
    """;

using var engine = new Engine();
var module = Module.FromText(engine, Wat);
Console.WriteLine($"module {module.Name ?? "<unnamed>"} is valid");
foreach (var import in module.Imports) Console.WriteLine($"  imports {import.Kind,-8} {import.ModuleName}.{import.Name}");
foreach (var export in module.Exports) Console.WriteLine($"  exports {export.Kind,-8} {export.Name}");

try
{
    Module.FromText(engine, """(module (func (result i32) (i64.const 1)))""");
}
catch (InvalidModuleException e)
{
    Console.WriteLine($"a broken module is rejected: {e.Message}");
}
