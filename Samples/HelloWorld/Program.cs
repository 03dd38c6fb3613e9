using Sharptime;

// The classic embedding example: a module imports a host function, the host defines it with a C# lambda,
// and C# calls the module's export through a typed function.
const string Wat = """
    (module
      (import "host" "hello" (func $hello (param i32)))
      (func (export "hello")
        (call $hello (i32.const 42))))
    """;

using var engine = new Engine();
var module = Module.FromText(engine, Wat);

// The store owns everything the instance creates; its data is a string the host function can read.
using var store = new Store<string>(engine, "the store's data");

var linker = new Linker<string>(engine);
linker.DefineFunction("host", "hello", (Caller caller, int argument) =>
{
    Console.WriteLine($"Hello from wasm! The argument is {argument}; the store data is \"{caller.GetData<string>()}\".");
});

var instance = linker.Instantiate(store, module);
var hello = instance.GetFunction("hello")?.Typed<ValueTuple, ValueTuple>()
    ?? throw new InvalidOperationException("the module has no export 'hello'");
hello.Call(default);
