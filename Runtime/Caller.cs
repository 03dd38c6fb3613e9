namespace Sharptime;

/// <summary>What a host function sees of its caller: the store (and its data) and the calling instance's exports.</summary>
public sealed class Caller
{
    private readonly Instance? _instance;

    internal Caller(Store store, Instance? instance)
    {
        Store = store;
        _instance = instance;
    }

    /// <summary>The store the call runs in.</summary>
    public Store Store { get; }

    /// <summary>The store's user data.</summary>
    public object? Data => Store.DataObject;

    /// <summary>
    /// The store's remaining fuel (<see cref="Sharptime.Store.GetFuel"/> and <see cref="Sharptime.Store.SetFuel"/>): exact
    /// while a host function runs, counting every operator the wasm caller ran up to and including the call.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="Config.ConsumeFuel"/> is off for the store's engine.</exception>
    public ulong Fuel
    {
        get => Store.GetFuel();
        set => Store.SetFuel(value);
    }

    /// <summary>The calling instance, or null when the host called the function directly.</summary>
    public Instance? Instance => _instance;

    /// <summary>The store's user data as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidCastException">The store is not a <see cref="Store{T}"/>.</exception>
    public T GetData<T>() => Store is Store<T> typed
        ? typed.Data
        : throw new InvalidCastException($"the store's data is {Store.DataObject?.GetType().ToString() ?? "null"}, not {typeof(T)}");

    /// <summary>The calling instance's exported memory <paramref name="name"/>, or null.</summary>
    public Memory? GetMemory(string name) => _instance?.GetMemory(name);

    /// <summary>The calling instance's exported function <paramref name="name"/>, or null.</summary>
    public Func? GetFunction(string name) => _instance?.GetFunction(name);

    /// <summary>The calling instance's exported global <paramref name="name"/>, or null.</summary>
    public Global? GetGlobal(string name) => _instance?.GetGlobal(name);

    /// <summary>The calling instance's exported table <paramref name="name"/>, or null.</summary>
    public Table? GetTable(string name) => _instance?.GetTable(name);
}
