// Polyfills so the WIT front end (linked from ComponentModel/Wit) compiles for netstandard2.0.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
