using Sharptime.Format;
using Sharptime.Vm.MemoryImages;

namespace Sharptime.Vm;

/// <summary>Builds an instance in the spec's order: imports, definitions, globals, segments, start function.</summary>
internal static unsafe class Instantiator
{
    /// <summary>
    /// When set, this thread's instantiations copy every data segment instead of mapping images (benchmarks compare
    /// both ways; tests compare the contents). Per thread so it never leaks into unrelated instantiations.
    /// </summary>
    [ThreadStatic]
    internal static bool MemoryImagesDisabled;

    public static void Run(Instance instance, object[] imports)
    {
        var store = instance.Store;
        var module = instance.Module;
        var info = module.Info;
        var engine = store.Engine;
        if (!ReferenceEquals(module.Engine, engine))
            throw new ArgumentException("the module was created with another engine than the store's");
        // Before anything else: a disposed module's code may be gone.
        store.Own(module.AcquireCode());
        if (imports.Length != info.Imports.Count)
            throw new LinkException($"the module has {info.Imports.Count} import(s), {imports.Length} were given");

        // 1. Check every import before creating anything.
        for (int i = 0; i < imports.Length; i++) CheckImport(store, info, info.Imports[i], imports[i]);
        store.ReserveInstance(info.Memories.Count - info.ImportedMemoryCount, info.Tables.Count - info.ImportedTableCount);

        var allocator = engine.Allocator;
        allocator.CheckModule(module);
        var compiled = module.Compiled;
        var layout = module.Layout;
        instance.Layout = layout;
        nint vmctx = allocator.AllocateInstance(store, layout.Size);
        instance.Vmctx = vmctx;
        *(nint*)(vmctx + VMContextLayout.StoreContext) = store.Context;
        *(nint*)(vmctx + VMContextLayout.Builtins) = Builtins.Table;
        *(nint*)(vmctx + VMContextLayout.Instance) = store.NewHandle(instance);
        var typeIds = new int[info.Types.Count];
        for (int i = 0; i < typeIds.Length; i++)
        {
            typeIds[i] = engine.TypeId(info.Types[i]);
            *(int*)(vmctx + layout.TypeId((uint)i)) = typeIds[i];
        }

        var functions = new Func[info.FunctionTypeIndices.Count];
        var memories = new Memory[info.Memories.Count];
        var tables = new Table[info.Tables.Count];
        var globals = new Global[info.Globals.Count];
        int fi = 0, mi = 0, ti = 0, gi = 0;
        foreach (var item in imports)
        {
            switch (item)
            {
                case Func f: functions[fi++] = f; break;
                case Memory m: memories[mi++] = m; break;
                case Table t: tables[ti++] = t; break;
                case Global g: globals[gi++] = g; break;
            }
        }

        // 2. Functions.
        nint code = compiled?.Memory.Address ?? 0;
        for (int i = info.ImportedFunctionCount; i < functions.Length; i++)
        {
            int defined = i - info.ImportedFunctionCount;
            nint funcRef = vmctx + layout.DefinedFuncRef(defined);
            uint typeIndex = info.FunctionTypeIndices[i];
            *(nint*)(funcRef + VMFuncRefLayout.WasmCall) = code + compiled!.Compiled.FunctionOffsets[defined];
            *(nint*)(funcRef + VMFuncRefLayout.ArrayCall) = code + compiled.Compiled.ArrayEntryOffsets[defined];
            *(int*)(funcRef + VMFuncRefLayout.TypeId) = typeIds[typeIndex];
            *(nint*)(funcRef + VMFuncRefLayout.Vmctx) = vmctx;
            functions[i] = Func.ForWasm(store, info.Types[(int)typeIndex], typeIds[typeIndex], funcRef, instance);
        }
        for (int i = 0; i < functions.Length; i++) *(nint*)(vmctx + layout.FuncRef((uint)i)) = functions[i].FuncRef;

        // 3. Memories and tables. A memory with an image gets its initial data now, mapped copy-on-write; the planner
        // only gives an image when no segment applied before that data (step 6 and 7) can trap.
        var images = MemoryImagesDisabled || info.Memories.Count == info.ImportedMemoryCount ? null : module.MemoryImages;
        for (int i = info.ImportedMemoryCount; i < memories.Length; i++)
        {
            var t = info.Memories[i];
            store.CheckNewMemory(t.Limits.Min, t.Limits.Max);
            memories[i] = new Memory(store, allocator.AllocateMemory(t.Limits.Min, t.Limits.Max, images, i));
        }
        for (int i = 0; i < memories.Length; i++) *(nint*)(vmctx + layout.Memory((uint)i)) = memories[i].Linear.Definition;
        for (int i = info.ImportedTableCount; i < tables.Length; i++)
        {
            var t = info.Tables[i];
            store.CheckNewTable(t.Limits.Min, t.Limits.Max);
            tables[i] = new Table(store, ValKinds.FromValType(t.ElementType), allocator.AllocateTable(t.Limits.Min, t.Limits.Max));
        }
        for (int i = 0; i < tables.Length; i++) *(nint*)(vmctx + layout.Table((uint)i)) = tables[i].Storage.Definition;

        instance.Functions = functions;
        instance.Memories = memories;
        instance.Tables = tables;

        // 4. Globals, in order (an initializer may read imported globals).
        for (int i = info.ImportedGlobalCount; i < globals.Length; i++)
        {
            var g = info.Globals[i];
            var cell = store.Alloc(16);
            *(ValRaw*)cell = ConstEval(instance, globals, g.Init!.Value);
            globals[i] = new Global(store, ValKinds.FromValType(g.Type.Type), g.Type.Mutable, cell);
        }
        for (int i = 0; i < globals.Length; i++) *(nint*)(vmctx + layout.Global((uint)i)) = globals[i].Cell;
        instance.Globals = globals;

        // 5. Exports (before segments, so a failing instantiation still leaves a consistent object).
        foreach (var e in info.Exports)
        {
            object item = e.Kind switch
            {
                ExternKind.Func => functions[e.Index],
                ExternKind.Table => tables[e.Index],
                ExternKind.Memory => memories[e.Index],
                _ => globals[e.Index],
            };
            var kind = e.Kind switch
            {
                ExternKind.Func => ExternalKind.Function,
                ExternKind.Table => ExternalKind.Table,
                ExternKind.Memory => ExternalKind.Memory,
                _ => ExternalKind.Global,
            };
            instance.AddExport(new InstanceExport(e.Name, kind, item));
        }

        // 6. Element segments: evaluate all, then apply the active ones in order.
        var elements = new nint[info.Elements.Count][];
        for (int i = 0; i < elements.Length; i++)
        {
            var seg = info.Elements[i];
            if (seg.Mode == SegmentMode.Declarative)
            {
                elements[i] = [];
                continue;
            }
            var items = new nint[seg.Count];
            if (seg.FunctionIndices is { } indices)
                for (int j = 0; j < items.Length; j++) items[j] = functions[indices[j]].FuncRef;
            else
                for (int j = 0; j < items.Length; j++) items[j] = ConstEval(instance, globals, seg.Expressions![j]).Ref;
            elements[i] = items;
        }
        var data = new ReadOnlyMemory<byte>[info.Data.Count];
        for (int i = 0; i < data.Length; i++) data[i] = info.Bytes.Slice(info.Data[i].DataOffset, info.Data[i].DataLength);
        instance.ElementSegments = elements;
        instance.DataSegments = data;
        store.Instances.Add(instance);

        for (int i = 0; i < elements.Length; i++)
        {
            var seg = info.Elements[i];
            if (seg.Mode != SegmentMode.Active) continue;
            ulong offset = (uint)ConstEval(instance, globals, seg.TableOffset!.Value).I32;
            var table = tables[seg.TableIndex].Storage;
            var items = elements[i];
            if (offset + (ulong)items.Length > table.Length) throw new TrapException(TrapCode.TableOutOfBounds);
            items.CopyTo(table.Span.Slice((int)offset));
            elements[i] = [];
        }

        // 7. Active data segments.
        for (int i = 0; i < data.Length; i++)
        {
            var seg = info.Data[i];
            if (seg.Mode != SegmentMode.Active) continue;
            var memory = memories[seg.MemoryIndex].Linear;
            if (images is not null && memory.HasImage && images.Covers(i))
            {
                data[i] = ReadOnlyMemory<byte>.Empty;
                continue;
            }
            ulong offset = (uint)ConstEval(instance, globals, seg.MemoryOffset!.Value).I32;
            var bytes = data[i].Span;
            if (offset + (ulong)bytes.Length > memory.ByteLength) throw new TrapException(TrapCode.MemoryOutOfBounds);
            bytes.CopyTo(new Span<byte>((void*)(memory.Base + (nint)offset), bytes.Length));
            data[i] = ReadOnlyMemory<byte>.Empty;
        }

        // 8. Start function.
        if (info.StartFunction is { } start)
        {
            ValRaw slot = default;
            functions[start].CallRaw(&slot, 0);
        }
    }

    private static void CheckImport(Store store, ModuleInfo info, Import import, object? item)
    {
        string name = $"`{import.Module}::{import.Name}`";
        string expected = import.Kind switch
        {
            ExternKind.Func => Describe(FunctionType.From(info.Types[(int)import.FunctionTypeIndex]).ToString()),
            ExternKind.Table => Describe(Module.TypeText(import.Table)),
            ExternKind.Memory => Describe(Module.TypeText(import.Memory)),
            _ => Describe(Module.TypeText(import.Global)),
        };
        if (item is null) throw new LinkException($"unknown import: {name} has not been defined");
        var owner = item switch
        {
            Func f => f.Store,
            Memory m => m.Store,
            Table t => t.Store,
            Global g => g.Store,
            _ => throw new ArgumentException($"import {name}: {item.GetType()} is not a Func, Memory, Table or Global"),
        };
        store.CheckOwns(owner, $"import {name}");
        bool ok = (import.Kind, item) switch
        {
            (ExternKind.Func, Func f) => f.InternalType.Equals(info.Types[(int)import.FunctionTypeIndex]),
            (ExternKind.Memory, Memory m) => LimitsMatch((ulong)m.Size, (ulong?)m.Maximum, import.Memory.Limits),
            (ExternKind.Table, Table t) => ValKinds.ToValType(t.ElementKind) == import.Table.ElementType
                && LimitsMatch(t.Size, t.Maximum, import.Table.Limits),
            (ExternKind.Global, Global g) => ValKinds.ToValType(g.Kind) == import.Global.Type && g.Mutable == import.Global.Mutable,
            _ => false,
        };
        if (!ok) throw new LinkException($"incompatible import type for {name}: expected {expected}, found {Describe(item.ToString()!)}");
    }

    private static string Describe(string watType) => watType.StartsWith('(') && watType.EndsWith(')') ? watType[1..^1] : watType;

    private static bool LimitsMatch(ulong actualMin, ulong? actualMax, Limits expected) =>
        actualMin >= expected.Min && (expected.Max is not { } max || (actualMax is { } am && am <= max));

    /// <summary>Evaluates a constant expression to a raw slot (references as VMFuncRef* or store handles).</summary>
    internal static ValRaw ConstEval(Instance instance, Global[] globals, ConstExpr expr)
    {
        var reader = OperatorReader.ForConstExpr(instance.Module.Info, expr);
        Span<ValRaw> stack = stackalloc ValRaw[8];
        int sp = 0;
        while (true)
        {
            reader.Read(out var op);
            if (sp == stack.Length && op.Opcode != Opcode.End)
                throw new NotSupportedException("constant expression deeper than 8 values");
            switch (op.Opcode)
            {
                case Opcode.V128Const:
                    var lanes = System.Runtime.Intrinsics.Vector128.AsUInt64(op.V128);
                    stack[sp++] = new ValRaw { I64 = (long)System.Runtime.Intrinsics.Vector128.GetElement(lanes, 0), High = System.Runtime.Intrinsics.Vector128.GetElement(lanes, 1) };
                    break;
                case Opcode.I32Const: stack[sp++] = ValRaw.FromI32(op.I32); break;
                case Opcode.I64Const: stack[sp++] = ValRaw.FromI64(op.I64); break;
                case Opcode.F32Const: stack[sp++] = new ValRaw { F32Bits = op.F32Bits }; break;
                case Opcode.F64Const: stack[sp++] = new ValRaw { F64Bits = op.F64Bits }; break;
                case Opcode.RefNull: stack[sp++] = default; break;
                case Opcode.RefFunc: stack[sp++] = new ValRaw { Ref = instance.Functions[op.Index].FuncRef }; break;
                case Opcode.GlobalGet: stack[sp++] = *(ValRaw*)globals[op.Index].Cell; break;
                case Opcode.I32Add: sp--; stack[sp - 1] = ValRaw.FromI32(stack[sp - 1].I32 + stack[sp].I32); break;
                case Opcode.I32Sub: sp--; stack[sp - 1] = ValRaw.FromI32(stack[sp - 1].I32 - stack[sp].I32); break;
                case Opcode.I32Mul: sp--; stack[sp - 1] = ValRaw.FromI32(stack[sp - 1].I32 * stack[sp].I32); break;
                case Opcode.I64Add: sp--; stack[sp - 1] = ValRaw.FromI64(stack[sp - 1].I64 + stack[sp].I64); break;
                case Opcode.I64Sub: sp--; stack[sp - 1] = ValRaw.FromI64(stack[sp - 1].I64 - stack[sp].I64); break;
                case Opcode.I64Mul: sp--; stack[sp - 1] = ValRaw.FromI64(stack[sp - 1].I64 * stack[sp].I64); break;
                case Opcode.End: return sp > 0 ? stack[sp - 1] : default;
                default: throw new InvalidOperationException($"unsupported constant expression operator {op.Opcode}");
            }
        }
    }
}
