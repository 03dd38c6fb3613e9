namespace Sharptime;

/// <summary>A WebAssembly function: exported by an instance, or defined by the host. Belongs to one store.</summary>
public sealed partial class Func
{
}
