using Sharptime.Format;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private void CompileOperator(ref Operator op)
    {
        switch (op.Opcode)
        {
            case Opcode.Unreachable:
                _a.jmp(TrapLabel(TrapCode.Unreachable));
                EnterUnreachable();
                return;
            case Opcode.Nop: return;
            case Opcode.Block: CompileBlock(op.BlockType, OperatorKind.Block); return;
            case Opcode.Loop: CompileBlock(op.BlockType, OperatorKind.Loop); return;
            case Opcode.If: CompileIf(op.BlockType); return;
            case Opcode.Else: CompileElse(); return;
            case Opcode.End: CompileEnd(); return;
            case Opcode.Br: CompileBr(op.Index); return;
            case Opcode.BrIf: CompileBrIf(op.Index); return;
            case Opcode.BrTable: CompileBrTable(ref op); return;
            case Opcode.Return: CompileReturn(); return;
            case Opcode.Call: CompileCall(op.Index); return;
            case Opcode.CallIndirect: CompileCallIndirect(op.Index, op.Index2); return;
            case Opcode.Drop: Free(Pop()); return;
            case Opcode.Select:
            case Opcode.SelectTyped: CompileSelect(); return;
            case Opcode.LocalGet: CompileLocalGet(op.Index); return;
            case Opcode.LocalSet: CompileLocalSet(op.Index, tee: false); return;
            case Opcode.LocalTee: CompileLocalSet(op.Index, tee: true); return;
            case Opcode.GlobalGet: CompileGlobalGet(op.Index); return;
            case Opcode.GlobalSet: CompileGlobalSet(op.Index); return;
            case Opcode.I32Const: PushConst(ValType.I32, (uint)op.I32); return;
            case Opcode.I64Const: PushConst(ValType.I64, op.I64); return;
            case Opcode.F32Const: PushConst(ValType.F32, op.F32Bits); return;
            case Opcode.F64Const: PushConst(ValType.F64, (long)op.F64Bits); return;
            case Opcode.RefNull: PushConst(op.RefType, 0); return;
            case Opcode.RefIsNull: CompileRefIsNull(); return;
            case Opcode.RefFunc: CompileRefFunc(op.Index); return;
        }

        if (op.Opcode >= Opcode.I32Load && op.Opcode <= Opcode.I64Store32)
        {
            CompileMemoryAccess(ref op);
            return;
        }
        if (op.Opcode is >= Opcode.I32Eqz and <= Opcode.I64Rotr)
        {
            if (op.Opcode is >= Opcode.F32Eq and <= Opcode.F64Ge) CompileFloatCompare(op.Opcode);
            else CompileInteger(op.Opcode);
            return;
        }
        if (op.Opcode is >= Opcode.F32Abs and <= Opcode.F64Copysign)
        {
            CompileFloatArithmetic(op.Opcode);
            return;
        }
        if (op.Opcode is >= Opcode.I32WrapI64 and <= Opcode.I64Extend32S
            || op.Opcode is >= Opcode.I32TruncSatF32S and <= Opcode.I64TruncSatF64U)
        {
            CompileConversion(op.Opcode);
            return;
        }
        switch (op.Opcode)
        {
            case Opcode.MemorySize: CompileMemorySize(); return;
            case Opcode.MemoryGrow: CompileMemoryGrow(op.MemoryIndex); return;
            case Opcode.MemoryInit: CompileBulk(Vm.Builtin.MemoryInit, op.MemoryIndex, op.Index, 3, trapping: true); return;
            case Opcode.DataDrop: CompileBulk(Vm.Builtin.DataDrop, op.Index, null, 0, trapping: false); return;
            case Opcode.MemoryCopy: CompileBulk(Vm.Builtin.MemoryCopy, op.MemoryIndex, op.Index2, 3, trapping: true); return;
            case Opcode.MemoryFill: CompileBulk(Vm.Builtin.MemoryFill, op.MemoryIndex, null, 3, trapping: true); return;
            case Opcode.TableGet: CompileTableGet(op.Index); return;
            case Opcode.TableSet: CompileTableSet(op.Index); return;
            case Opcode.TableSize: CompileTableSize(op.Index); return;
            case Opcode.TableGrow: CompileTableGrow(op.Index); return;
            case Opcode.TableFill: CompileBulk(Vm.Builtin.TableFill, op.Index, null, 3, trapping: true); return;
            case Opcode.TableCopy: CompileBulk(Vm.Builtin.TableCopy, op.Index, op.Index2, 3, trapping: true); return;
            case Opcode.TableInit: CompileBulk(Vm.Builtin.TableInit, op.Index2, op.Index, 3, trapping: true); return;
            case Opcode.ElemDrop: CompileBulk(Vm.Builtin.ElemDrop, op.Index, null, 0, trapping: false); return;
        }
        throw new NotSupportedException($"the baseline compiler does not support `{op.Info.Name}` yet");
    }
}
