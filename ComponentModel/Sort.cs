namespace Sharptime.ComponentModel;

/// <summary>Every index space of the component model (a definition's sort), core ones first.</summary>
internal enum Sort : byte
{
    CoreFunc,
    CoreTable,
    CoreMemory,
    CoreGlobal,
    CoreTag,
    CoreType,
    CoreModule,
    CoreInstance,
    Func,
    Value,
    Type,
    Component,
    Instance,
}
