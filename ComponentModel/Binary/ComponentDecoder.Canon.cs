using Sharptime.Format;

namespace Sharptime.ComponentModel.Binary;

internal sealed partial class ComponentDecoder
{
    private static readonly FuncType s_reallocType = new([ValType.I32, ValType.I32, ValType.I32, ValType.I32], [ValType.I32]);
    private static readonly FuncType s_callbackType = new([ValType.I32, ValType.I32, ValType.I32], [ValType.I32]);

    private static FuncType Core(ValType[] parameters, ValType[] results) => new(parameters, results);

    private static readonly ValType[] s_none = [];
    private static readonly ValType[] s_i32 = [ValType.I32];
    private static readonly ValType[] s_i32x2 = [ValType.I32, ValType.I32];
    private static readonly ValType[] s_i32x3 = [ValType.I32, ValType.I32, ValType.I32];
    private static readonly ValType[] s_i64 = [ValType.I64];

    /// <summary>Which options a canonical definition accepts besides string-encoding and memory.</summary>
    [Flags]
    private enum AllowedOptions
    {
        None = 0,
        Realloc = 1,
        PostReturn = 2,
        Async = 4,
        Callback = 8,
        All = Realloc | PostReturn | Async | Callback,
    }

    private void ReadCanon(ref WasmReader reader, Scope scope, int depth)
    {
        var spaces = scope.Spaces;
        int at = reader.Offset;
        byte opcode = reader.ReadByte();
        var kind = (CanonKind)opcode;
        CanonDefinition definition;
        switch (kind)
        {
            case CanonKind.Lift:
            {
                ExpectFuncSort(ref reader);
                int funcAt = reader.Offset;
                uint coreFunc = reader.ReadVarU32();
                var options = ReadOptions(ref reader, spaces, AllowedOptions.All);
                int typeAt = reader.Offset;
                uint typeIndex = reader.ReadVarU32();
                CheckIndex(spaces, Sort.CoreFunc, coreFunc, funcAt);
                CheckIndex(spaces, Sort.Type, typeIndex, typeAt);
                if (spaces.Types[(int)typeIndex] is not ComponentFunctionType type)
                {
                    Invalid($"type index {typeIndex} is not a function type", typeAt);
                    return;
                }
                CheckLiftLower(type, options, lift: true, at);
                var expected = CanonicalTypes.FlattenFunction(type.Params, type.Result, options.Async, options.Callback is not null, CanonicalTypes.Context.Lift);
                var actual = spaces.CoreFuncs[(int)coreFunc];
                if (!actual.Equals(expected))
                    Invalid($"lowered function type `{actual}` does not match the flattened type `{expected}` of the lifted function", funcAt);
                if (options.PostReturn is uint post && !spaces.CoreFuncs[(int)post].Equals(new FuncType(expected.Results, [])))
                    Invalid("post-return function type does not take the lifted function's results", at);
                spaces.Funcs.Add(type);
                definition = new CanonDefinition(kind, at) { Function = coreFunc, Type = type, Options = options, Index = (uint)spaces.Funcs.Count - 1 };
                break;
            }
            case CanonKind.Lower:
            {
                ExpectFuncSort(ref reader);
                int funcAt = reader.Offset;
                uint func = reader.ReadVarU32();
                var options = ReadOptions(ref reader, spaces, AllowedOptions.Realloc | AllowedOptions.Async);
                CheckIndex(spaces, Sort.Func, func, funcAt);
                var type = spaces.Funcs[(int)func];
                CheckLiftLower(type, options, lift: false, at);
                var core = CanonicalTypes.FlattenFunction(type.Params, type.Result, options.Async, hasCallback: false, CanonicalTypes.Context.Lower);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Function = func, Type = type, Options = options, CoreType = core });
                break;
            }
            case CanonKind.ResourceNew:
            case CanonKind.ResourceDrop:
            case CanonKind.ResourceDropAsync:
            case CanonKind.ResourceRep:
            {
                int typeAt = reader.Offset;
                uint typeIndex = reader.ReadVarU32();
                CheckIndex(spaces, Sort.Type, typeIndex, typeAt);
                if (spaces.Types[(int)typeIndex] is not ResourceType resource)
                {
                    Invalid($"type index {typeIndex} is not a resource type", typeAt);
                    return;
                }
                bool drop = kind is CanonKind.ResourceDrop or CanonKind.ResourceDropAsync;
                if (!drop && !scope.DefinedResources.Contains(resource.Canonical)) Invalid("resource type must be defined in this component", typeAt);
                var core = kind switch
                {
                    CanonKind.ResourceNew or CanonKind.ResourceRep => Core(s_i32, s_i32),
                    _ => Core(s_i32, s_none),
                };
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Type = resource, CoreType = core });
                break;
            }
            case CanonKind.TaskCancel or CanonKind.BackpressureInc or CanonKind.BackpressureDec:
                definition = AddCore(spaces, new CanonDefinition(kind, at) { CoreType = Core(s_none, s_none) });
                break;
            case CanonKind.BackpressureSet:
                definition = AddCore(spaces, new CanonDefinition(kind, at) { CoreType = Core(s_i32, s_none) });
                break;
            case CanonKind.SubtaskDrop or CanonKind.ErrorContextDrop or CanonKind.WaitableSetDrop or CanonKind.ThreadResumeLater:
                definition = AddCore(spaces, new CanonDefinition(kind, at) { CoreType = Core(s_i32, s_none) });
                break;
            case CanonKind.WaitableJoin:
                definition = AddCore(spaces, new CanonDefinition(kind, at) { CoreType = Core(s_i32x2, s_none) });
                break;
            case CanonKind.WaitableSetNew or CanonKind.ThreadIndex:
                definition = AddCore(spaces, new CanonDefinition(kind, at) { CoreType = Core(s_none, s_i32) });
                break;
            case CanonKind.SubtaskCancel:
            {
                bool flag = ReadFlag(ref reader);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Flag = flag, CoreType = Core(s_i32, s_i32) });
                break;
            }
            case CanonKind.TaskReturn:
            {
                int resultAt = reader.Offset;
                byte form = reader.ReadByte();
                ValueType? result = null;
                if (form == 0x00) result = ReadValType(ref reader, spaces);
                else if (form != 0x01 || reader.ReadByte() != 0x00) Malformed("invalid result list", resultAt);
                var options = ReadOptions(ref reader, spaces, AllowedOptions.None);
                LabeledType[] parameters = result is null ? [] : [new LabeledType("result", result)];
                if (result is not null && (result.Facts.ContainsListOrString || result.Facts.FlatCount > CanonicalTypes.MaxFlatParams) && options.Memory is null)
                    Invalid("canonical option `memory` is required", at);
                var core = CanonicalTypes.FlattenFunction(parameters, null, isAsync: false, hasCallback: false, CanonicalTypes.Context.Lower);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Result = result, Options = options, CoreType = core });
                break;
            }
            case CanonKind.ContextGet:
            case CanonKind.ContextSet:
            {
                int typeAt = reader.Offset;
                var valType = reader.ReadValType();
                if (valType != ValType.I32) Invalid("context slots hold `i32` values", typeAt);
                int slotAt = reader.Offset;
                uint slot = reader.ReadVarU32();
                if (slot >= 2) Invalid($"context slot {slot} is out of bounds", slotAt);
                var core = kind == CanonKind.ContextGet ? Core(s_none, s_i32) : Core(s_i32, s_none);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Immediate = slot, CoreValueType = valType, CoreType = core });
                break;
            }
            case CanonKind.ThreadYield or CanonKind.ThreadSuspend:
            {
                bool flag = ReadFlag(ref reader);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Flag = flag, CoreType = Core(s_none, s_i32) });
                break;
            }
            case CanonKind.ThreadSuspendThenResume or CanonKind.ThreadYieldThenResume
                or CanonKind.ThreadSuspendThenPromote or CanonKind.ThreadYieldThenPromote:
            {
                bool flag = ReadFlag(ref reader);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Flag = flag, CoreType = Core(s_i32, s_i32) });
                break;
            }
            case CanonKind.StreamNew or CanonKind.StreamDropReadable or CanonKind.StreamDropWritable
                or CanonKind.FutureNew or CanonKind.FutureDropReadable or CanonKind.FutureDropWritable:
            {
                var type = ReadAsyncValueType(ref reader, spaces, IsStreamBuiltin(kind));
                var core = kind is CanonKind.StreamNew or CanonKind.FutureNew ? Core(s_none, s_i64) : Core(s_i32, s_none);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Type = type, CoreType = core });
                break;
            }
            case CanonKind.StreamRead or CanonKind.StreamWrite or CanonKind.FutureRead or CanonKind.FutureWrite:
            {
                bool stream = IsStreamBuiltin(kind);
                var type = ReadAsyncValueType(ref reader, spaces, stream);
                var options = ReadOptions(ref reader, spaces, AllowedOptions.Realloc | AllowedOptions.Async);
                if (type.Payload is not null && options.Memory is null) Invalid("canonical option `memory` is required", at);
                if (type.Payload is { Facts.ContainsListOrString: true } && kind is CanonKind.StreamRead or CanonKind.FutureRead && options.Realloc is null)
                    Invalid("canonical option `realloc` is required", at);
                var core = stream ? Core(s_i32x3, s_i32) : Core(s_i32x2, s_i32);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Type = type, Options = options, CoreType = core });
                break;
            }
            case CanonKind.StreamCancelRead or CanonKind.StreamCancelWrite or CanonKind.FutureCancelRead or CanonKind.FutureCancelWrite:
            {
                var type = ReadAsyncValueType(ref reader, spaces, IsStreamBuiltin(kind));
                bool flag = ReadFlag(ref reader);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Type = type, Flag = flag, CoreType = Core(s_i32, s_i32) });
                break;
            }
            case CanonKind.ErrorContextNew or CanonKind.ErrorContextDebugMessage:
            {
                var options = ReadOptions(ref reader, spaces, AllowedOptions.Realloc);
                if (options.Memory is null) Invalid("canonical option `memory` is required", at);
                bool debug = kind == CanonKind.ErrorContextDebugMessage;
                if (debug && options.Realloc is null) Invalid("canonical option `realloc` is required", at);
                var core = debug ? Core(s_i32x2, s_none) : Core(s_i32x2, s_i32);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Options = options, CoreType = core });
                break;
            }
            case CanonKind.WaitableSetWait or CanonKind.WaitableSetPoll:
            {
                bool flag = ReadFlag(ref reader);
                int memoryAt = reader.Offset;
                uint memory = reader.ReadVarU32();
                CheckIndex(spaces, Sort.CoreMemory, memory, memoryAt);
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Flag = flag, Immediate = memory, CoreType = Core(s_i32x2, s_i32) });
                break;
            }
            case CanonKind.ThreadNewIndirect:
            case CanonKind.ThreadSpawnRef:
            case CanonKind.ThreadSpawnIndirect:
            case CanonKind.ThreadAvailableParallelism:
            {
                bool shared = kind != CanonKind.ThreadNewIndirect && ReadFlag(ref reader);
                uint coreType = 0, table = 0;
                if (kind != CanonKind.ThreadAvailableParallelism)
                {
                    int typeAt = reader.Offset;
                    coreType = reader.ReadVarU32();
                    CheckIndex(spaces, Sort.CoreType, coreType, typeAt);
                    if (spaces.CoreTypes[(int)coreType] is not CoreFunctionType { Type: { Params: [ValType.I32], Results: [] } })
                        Invalid("thread start function type must be `(func (param i32))`", typeAt);
                }
                if (kind is CanonKind.ThreadNewIndirect or CanonKind.ThreadSpawnIndirect)
                {
                    int tableAt = reader.Offset;
                    table = reader.ReadVarU32();
                    CheckIndex(spaces, Sort.CoreTable, table, tableAt);
                }
                var core = kind switch
                {
                    CanonKind.ThreadAvailableParallelism => Core(s_none, s_i32),
                    CanonKind.ThreadSpawnRef => Core([ValType.FuncRef, ValType.I32], s_i32),
                    _ => Core(s_i32x2, s_i32),
                };
                definition = AddCore(spaces, new CanonDefinition(kind, at) { Flag = shared, CoreTypeIndex = coreType, Immediate = table, CoreType = core });
                break;
            }
            default:
                Malformed($"invalid leading byte (0x{opcode:x}) for canonical function", at);
                return;
        }
        scope.Component!.Canons.Add(definition);
    }

    private static bool IsStreamBuiltin(CanonKind kind) => kind is >= CanonKind.StreamNew and <= CanonKind.StreamDropWritable;

    private static CanonDefinition AddCore(IndexSpaces spaces, CanonDefinition definition)
    {
        spaces.CoreFuncs.Add(definition.CoreType!);
        return definition with { Index = (uint)spaces.CoreFuncs.Count - 1 };
    }

    private static void ExpectFuncSort(ref WasmReader reader)
    {
        int at = reader.Offset;
        byte sort = reader.ReadByte();
        if (sort != 0x00) Malformed($"invalid leading byte (0x{sort:x}) for canonical function sort", at);
    }

    /// <summary>Reads the one-byte <c>async?</c>/<c>cancel?</c>/<c>sh?</c> immediate.</summary>
    private static bool ReadFlag(ref WasmReader reader)
    {
        int at = reader.Offset;
        byte b = reader.ReadByte();
        if (b > 1) Malformed($"invalid leading byte (0x{b:x}) for a flag immediate", at);
        return b == 1;
    }

    private static AsyncValueType ReadAsyncValueType(ref WasmReader reader, IndexSpaces spaces, bool stream)
    {
        int at = reader.Offset;
        uint index = reader.ReadVarU32();
        CheckIndex(spaces, Sort.Type, index, at);
        if (spaces.Types[(int)index] is not AsyncValueType type || type.IsStream != stream)
        {
            Invalid($"type index {index} is not a {(stream ? "stream" : "future")} type", at);
            return null;
        }
        return type;
    }

    /// <summary>
    /// Reads canonical options, rejecting duplicates and options this definition does not accept, and checks each
    /// option on its own (memory is a 32-bit memory, realloc and callback have their fixed core types).
    /// </summary>
    private static CanonOptions ReadOptions(ref WasmReader reader, IndexSpaces spaces, AllowedOptions allowed)
    {
        var options = new CanonOptions();
        int count = reader.ReadLength();
        for (int i = 0; i < count; i++)
        {
            int at = reader.Offset;
            byte b = reader.ReadByte();
            switch (b)
            {
                case 0x00 or 0x01 or 0x02:
                    if (options.HasStringEncoding) Invalid("canonical encoding option `string-encoding` conflicts with a previous one", at);
                    options.HasStringEncoding = true;
                    options.StringEncoding = (StringEncoding)b;
                    break;
                case 0x03:
                {
                    if (options.Memory is not null) Invalid("canonical option `memory` is specified more than once", at);
                    int indexAt = reader.Offset;
                    uint memory = reader.ReadVarU32();
                    CheckIndex(spaces, Sort.CoreMemory, memory, indexAt);
                    if (spaces.CoreMemories[(int)memory].Is64) Invalid("canonical option `memory` must be a 32-bit memory", indexAt);
                    options.Memory = memory;
                    break;
                }
                case 0x04:
                case 0x05:
                case 0x07:
                {
                    string name = b switch { 0x04 => "realloc", 0x05 => "post-return", _ => "callback" };
                    var flag = b switch { 0x04 => AllowedOptions.Realloc, 0x05 => AllowedOptions.PostReturn, _ => AllowedOptions.Callback };
                    if ((allowed & flag) == 0) Invalid($"canonical option `{name}` is not allowed here", at);
                    int indexAt = reader.Offset;
                    uint func = reader.ReadVarU32();
                    CheckIndex(spaces, Sort.CoreFunc, func, indexAt);
                    if ((b == 0x04 ? options.Realloc : b == 0x05 ? options.PostReturn : options.Callback) is not null)
                        Invalid($"canonical option `{name}` is specified more than once", at);
                    var type = spaces.CoreFuncs[(int)func];
                    if (b == 0x04)
                    {
                        if (!type.Equals(s_reallocType)) Invalid("canonical option `realloc` uses a core function with an incorrect signature", indexAt);
                        options.Realloc = func;
                    }
                    else if (b == 0x05)
                    {
                        options.PostReturn = func;
                    }
                    else
                    {
                        if (!type.Equals(s_callbackType)) Invalid("canonical option `callback` uses a core function with an incorrect signature", indexAt);
                        options.Callback = func;
                    }
                    break;
                }
                case 0x06:
                    if ((allowed & AllowedOptions.Async) == 0) Invalid("canonical option `async` is not allowed here", at);
                    if (options.Async) Invalid("canonical option `async` is specified more than once", at);
                    options.Async = true;
                    break;
                default:
                    Malformed($"invalid leading byte (0x{b:x}) for canonical option", at);
                    break;
            }
        }
        int end = reader.Offset;
        if (options.Realloc is not null && options.Memory is null) Invalid("canonical option `realloc` requires `memory`", end);
        if (options.Callback is not null && !options.Async) Invalid("cannot specify callback without async", end);
        if (options.Async && options.PostReturn is not null) Invalid("cannot specify post-return with async", end);
        return options;
    }

    /// <summary>The option rules of <c>canon lift</c> and <c>canon lower</c> that depend on the function type.</summary>
    private static void CheckLiftLower(ComponentFunctionType type, CanonOptions options, bool lift, int at)
    {
        if (options.Async && !type.IsAsync) Invalid("the `async` canonical option requires an async function type", at);
        bool paramsNeedMemory = false;
        int flatParams = 0;
        foreach (var p in type.Params)
        {
            paramsNeedMemory |= p.Type.Facts.ContainsListOrString;
            flatParams = Math.Min(1 << 20, flatParams + p.Type.Facts.FlatCount);
        }
        bool resultNeedsMemory = type.Result?.Facts.ContainsListOrString ?? false;
        int flatResults = type.Result?.Facts.FlatCount ?? 0;

        // The side that receives list/string data into its memory allocates with realloc: the callee's parameters
        // when lifting, the caller's results when lowering.
        bool needRealloc = lift ? paramsNeedMemory || flatParams > CanonicalTypes.MaxFlatParams : resultNeedsMemory;
        bool needMemory = needRealloc || paramsNeedMemory || resultNeedsMemory;
        if (lift)
        {
            int maxResults = options.Async ? CanonicalTypes.MaxFlatParams : CanonicalTypes.MaxFlatResults;
            needMemory |= flatResults > maxResults;
        }
        else
        {
            int maxParams = options.Async ? CanonicalTypes.MaxFlatAsyncParams : CanonicalTypes.MaxFlatParams;
            int maxResults = options.Async ? 0 : CanonicalTypes.MaxFlatResults;
            needMemory |= flatParams > maxParams || flatResults > maxResults;
        }
        if (needMemory && options.Memory is null) Invalid("canonical option `memory` is required", at);
        if (needRealloc && options.Realloc is null) Invalid("canonical option `realloc` is required", at);
    }
}
