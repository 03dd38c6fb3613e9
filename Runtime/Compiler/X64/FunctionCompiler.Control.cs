using Iced.Intel;
using Sharptime.Format;
using static Iced.Intel.AssemblerRegisters;
using static Sharptime.Compiler.X64.Operands;
using static Sharptime.Compiler.X64.Registers;

namespace Sharptime.Compiler.X64;

internal sealed partial class FunctionCompiler
{
    private void CompileBlock(in BlockType bt, OperatorKind kind)
    {
        var parameters = BlockParams(bt);
        SpillAll();
        var frame = PushFrame(kind, _a.CreateLabel(), _depth - parameters.Length, parameters, BlockResults(bt));
        if (kind == OperatorKind.Loop)
        {
            // A loop header is a branch target: the stretch before it ends here.
            if (_fuel) FlushFuel();
            _a.Bind(frame.Target);
            EmitInterruptionChecks(atEntry: false);
        }
    }

    private void CompileIf(in BlockType bt)
    {
        var parameters = BlockParams(bt);
        var cond = PopCondition();
        SpillAll();
        int h = _depth - parameters.Length;
        // The then-branch overwrites its parameter slots; it works on a copy so the else-branch still has the
        // originals, which stay underneath the frame.
        for (int i = 0; i < parameters.Length; i++)
        {
            _a.mov(Scratch, SlotOf(h + i));
            _a.mov(SlotOf(h + parameters.Length + i), Scratch);
            Push(StackValue.InSlot(parameters[i]));
        }
        var frame = PushFrame(OperatorKind.If, _a.CreateLabel(), _depth - parameters.Length, parameters, BlockResults(bt));
        frame.Else = _a.CreateLabel();
        frame.Shadowed = parameters.Length;
        if (_fuel) FlushFuel();
        BranchIfNot(cond, frame.Else);
    }

    private void CompileElse()
    {
        var frame = _frames[^1];
        if (!_unreachable)
        {
            SpillAll();
            if (_fuel) FlushFuel();
            _a.jmp(frame.Target);
            frame.Branched = true;
        }
        frame.HasElse = true;
        _a.Bind(frame.Else);
        TruncateStack(frame.Height);
        int originals = frame.Height - frame.Shadowed;
        for (int i = 0; i < frame.Params.Length; i++)
        {
            _a.mov(Scratch, SlotOf(originals + i));
            _a.mov(SlotOf(frame.Height + i), Scratch);
            Push(StackValue.InSlot(frame.Params[i]));
        }
        _unreachable = false;
    }

    private void CompileEnd()
    {
        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        bool fallsThrough = !_unreachable;

        if (frame.Kind == OperatorKind.Function)
        {
            if (fallsThrough) StoreResultsAndReturn(jump: false);
            return;
        }

        if (fallsThrough) SpillAll();
        // The end of a block or if is a merge point (a loop's end is not a branch target).
        if (_fuel && fallsThrough && frame.Kind != OperatorKind.Loop) FlushFuel();
        TruncateStack(frame.Height);
        if (frame.Kind == OperatorKind.If && !frame.HasElse)
        {
            // No else: the false path passes the parameters through as results, already in their slots.
            _a.Bind(frame.Else);
            fallsThrough = true;
        }
        if (frame.Kind != OperatorKind.Loop) _a.Bind(frame.Target);
        if (frame.Shadowed > 0)
        {
            int originals = frame.Height - frame.Shadowed;
            for (int i = 0; i < frame.Results.Length; i++)
            {
                _a.mov(Scratch, SlotOf(frame.Height + i));
                _a.mov(SlotOf(originals + i), Scratch);
            }
            TruncateStack(originals);
        }
        foreach (var t in frame.Results) Push(StackValue.InSlot(t));
        _unreachable = !(fallsThrough || (frame.Kind != OperatorKind.Loop && frame.Branched));
    }

    /// <summary>Moves the top <c>arity</c> values (all in slots) to the target frame's result slots.</summary>
    private void MoveBranchValues(Frame target)
    {
        int arity = target.BranchArity;
        int from = _depth - arity;
        if (from == target.Height) return;
        for (int i = 0; i < arity; i++)
        {
            _a.mov(Scratch, SlotOf(from + i));
            _a.mov(SlotOf(target.Height + i), Scratch);
        }
    }

    private Frame LabelFrame(uint depth) => _frames[_frames.Count - 1 - (int)depth];

    private void CompileBr(uint depth)
    {
        var target = LabelFrame(depth);
        if (target.Kind == OperatorKind.Function)
        {
            StoreResultsAndReturn(jump: true);
        }
        else
        {
            SpillAll();
            MoveBranchValues(target);
            target.Branched = true;
            if (_fuel) FlushFuel();
            _a.jmp(target.Target);
        }
        EnterUnreachable();
    }

    private void CompileBrIf(uint depth)
    {
        var target = LabelFrame(depth);
        var cond = PopCondition();
        if (target.Kind == OperatorKind.Function)
        {
            if (_fuel) FlushFuel();
            var skip = _a.CreateLabel();
            BranchIfNot(cond, skip);
            StoreResultsAndReturn(jump: true, keepStack: true);
            _a.Bind(skip);
            return;
        }
        SpillAll();
        if (_fuel) FlushFuel();
        target.Branched = true;
        int arity = target.BranchArity;
        if (_depth - arity == target.Height)
        {
            BranchIf(cond, target.Target);
            return;
        }
        var notTaken = _a.CreateLabel();
        BranchIfNot(cond, notTaken);
        MoveBranchValues(target);
        _a.jmp(target.Target);
        _a.Bind(notTaken);
    }

    private void CompileBrTable(ref Operator op)
    {
        int index = PopGpr();
        SpillAll();
        var targets = op.BrTableTargets;
        int count = (int)op.BrTableCount;
        var labels = new CodeLabel[count + 1];
        var stubs = new List<(CodeLabel stub, Frame frame)>();
        for (int i = 0; i <= count; i++)
        {
            uint depth;
            if (i < count) targets.TryRead(out depth);
            else depth = op.Index;
            labels[i] = BranchLabelFor(LabelFrame(depth), stubs);
        }
        FreeGpr(index);
        if (_fuel) FlushFuel();

        if (count == 0)
        {
            _a.jmp(labels[0]);
        }
        else
        {
            _a.cmp(D[index], count);
            _a.jae(labels[count]);
            _module.EmitJumpTable(_a, Q[index], labels, count);
        }

        foreach (var (stub, frame) in stubs)
        {
            var s = stub;
            _a.Bind(s);
            if (frame.Kind == OperatorKind.Function) StoreResultsAndReturn(jump: true, keepStack: true);
            else
            {
                MoveBranchValues(frame);
                _a.jmp(frame.Target);
            }
        }
        EnterUnreachable();
    }

    /// <summary>The label a table branch jumps to: the target itself when no values move, else a stub.</summary>
    private CodeLabel BranchLabelFor(Frame frame, List<(CodeLabel, Frame)> stubs)
    {
        frame.Branched = true;
        if (frame.Kind != OperatorKind.Function && _depth - frame.BranchArity == frame.Height) return frame.Target;
        foreach (var (l, f) in stubs) if (f == frame) return l;
        var stub = _a.CreateLabel();
        stubs.Add((stub, frame));
        return stub;
    }

    private void CompileReturn()
    {
        StoreResultsAndReturn(jump: true);
        EnterUnreachable();
    }

    /// <summary>Writes the function's results (the top values) to [rbp+16+8i] and leaves.</summary>
    private void StoreResultsAndReturn(bool jump, bool keepStack = false)
    {
        int n = _type.Results.Length;
        int first = _depth - n;
        for (int i = 0; i < n; i++)
        {
            var v = _stack[first + i];
            if (v.Loc == Loc.Flags) { v = MaterializeFlags(v); _stack[first + i] = v; }
            StoreValue(qword_ptr[rbp + (16 + 8 * i)], dword_ptr[rbp + (16 + 8 * i)], v, first + i);
        }
        if (!keepStack) TruncateStack(first);
        if (_fuel) FlushFuel();
        if (jump) _a.jmp(_epilogue);
    }

    private void EnterUnreachable()
    {
        var frame = _frames[^1];
        TruncateStack(frame.Height);
        _unreachable = true;
        _deadDepth = 0;
        // What was pending is charged by the branch or trap stub that made the rest dead.
        _pendingFuel = 0;
    }

    // ---- conditions ----------------------------------------------------------------------------------

    /// <summary>Pops an i32 condition, keeping it in the flags when it is there already.</summary>
    private StackValue PopCondition()
    {
        var v = _stack[--_depth];
        if (v.Loc is Loc.Flags or Loc.Const) return v;
        int r = ToGpr(v, _depth);
        return StackValue.InGpr(ValType.I32, r);
    }

    private void BranchIf(in StackValue cond, CodeLabel target) => BranchOn(cond, target, whenTrue: true);

    private void BranchIfNot(in StackValue cond, CodeLabel target) => BranchOn(cond, target, whenTrue: false);

    private void BranchOn(in StackValue cond, CodeLabel target, bool whenTrue)
    {
        switch (cond.Loc)
        {
            case Loc.Const:
                if (((int)cond.Bits != 0) == whenTrue) _a.jmp(target);
                break;
            case Loc.Flags:
                _a.jcc(whenTrue ? cond.Cond : Conditions.Negate(cond.Cond), target);
                break;
            default:
                _a.test(D[cond.Reg], D[cond.Reg]);
                FreeGpr(cond.Reg);
                if (whenTrue) _a.jne(target);
                else _a.je(target);
                break;
        }
    }

    private void CompileSelect()
    {
        var cond = PopCondition();
        var b = Pop();
        var a = Pop();
        // Loading a zero constant uses xor, which would clobber a condition still in the flags.
        if (cond.Loc == Loc.Flags && (a.Loc == Loc.Const || b.Loc == Loc.Const)) cond = MaterializeFlags(cond);
        if (cond.Loc == Loc.Const)
        {
            if ((int)cond.Bits != 0) { Free(b); Push(a); }
            else { Free(a); Push(b); }
            return;
        }
        int pos = _depth;
        if (a.IsFloat)
        {
            int ra = ToXmm(a, pos);
            int rb = ToXmm(b, pos + 1);
            var done = _a.CreateLabel();
            BranchIf(cond, done);
            _a.movaps(X[ra], X[rb]);
            _a.Bind(done);
            FreeXmm(rb);
            PushXmm(a.Type, ra);
        }
        else
        {
            // Materialize operands before testing a register condition (loads don't touch flags).
            int ra = ToGpr(a, pos);
            int rb = ToGpr(b, pos + 1);
            ConditionCode cc;
            if (cond.Loc == Loc.Flags) cc = cond.Cond;
            else
            {
                _a.test(D[cond.Reg], D[cond.Reg]);
                FreeGpr(cond.Reg);
                cc = ConditionCode.ne;
            }
            // a if cond else b: move b into a when the condition is false.
            _a.cmovcc(Conditions.Negate(cc), Q[ra], Q[rb]);
            FreeGpr(rb);
            PushGpr(a.Type, ra);
        }
    }
}
