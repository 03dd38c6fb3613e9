namespace Sharptime.Tests.Embedding;

/// <summary>Shared helpers of the embedding tests: one engine, and instantiation of WAT text.</summary>
internal static class Wasm
{
    public static readonly Engine Engine = new();

    public static Instance Instantiate(Store store, string wat, params object[] imports) =>
        new(store, Module.FromText(store.Engine, wat), imports);

    public static TypedFunc<TParams, TResults> Export<TParams, TResults>(this Instance instance, string name) =>
        (instance.GetFunction(name) ?? throw new InvalidOperationException($"no exported function {name}")).Typed<TParams, TResults>();
}

/// <summary>A host object passed into wasm as an externref.</summary>
internal sealed class Payload(int id)
{
    public int Id { get; } = id;

    public override string ToString() => $"payload {Id}";
}
