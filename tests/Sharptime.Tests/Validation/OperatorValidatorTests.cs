using Sharptime.Format;
using Sharptime.Validation;
using static Sharptime.Tests.Validation.V;

namespace Sharptime.Tests.Validation;

/// <summary>The state a single-pass compiler reads from the validator while it drives it.</summary>
public class OperatorValidatorTests
{
    private sealed class Driver
    {
        private readonly ModuleInfo _module;
        private readonly byte[] _bytes;
        private readonly int _bodyOffset;
        private int _position;

        public Driver(ModuleInfo module)
        {
            _module = module;
            _bytes = module.Bytes.ToArray();
            var body = module.FunctionBodies[0];
            _bodyOffset = body.Offset;
            var reader = new OperatorReader(_bytes.AsSpan(body.Offset, body.Length), body.Offset, module.DataCount.HasValue);
            Locals.Reset(module.FunctionType((uint)module.ImportedFunctionCount).Params);
            reader.ReadLocalDeclarations(Locals);
            _position = reader.Position;
            Validator.BeginFunction(module, module.ImportedFunctionCount, Locals);
        }

        public OperatorValidator Validator { get; } = new();
        public LocalTypes Locals { get; } = new();

        /// <summary>Validates the next operator; returns its opcode.</summary>
        public Opcode Step()
        {
            var body = _module.FunctionBodies[0];
            var reader = new OperatorReader(_bytes.AsSpan(body.Offset + _position, body.Length - _position), _bodyOffset + _position, true);
            reader.Read(out var op);
            Validator.Validate(in op);
            _position += reader.Position;
            return op.Opcode;
        }
    }

    [Fact]
    public void OperandStackShowsPushedTypes()
    {
        var d = new Driver(OneFunction([I64], None, Body(0x41, 0x01, 0x20, 0x00, 0x1A, 0x1A)).Build());
        d.Step();
        d.Step();
        Assert.Equal(2, d.Validator.OperandCount);
        Assert.Equal(I64, d.Validator.PeekOperand(0));
        Assert.Equal(I32, d.Validator.PeekOperand(1));
        Assert.Equal([I32, I64], d.Validator.Operands.ToArray());
    }

    [Fact]
    public void ControlFramesExposeKindAndLabelTypes()
    {
        var builder = new TestModuleBuilder();
        uint loopType = builder.Type([I32], [F32]);
        uint funcType = builder.Type(None, [F32]);
        // block (result f32) i32.const 0, loop (type 0) unreachable end end
        builder.Function(funcType, Body(0x02, 0x7D, 0x41, 0x00, 0x03, (byte)loopType, 0x00, 0x0B, 0x0B));
        var d = new Driver(builder.Build());
        d.Step();
        d.Step();
        d.Step();
        Assert.Equal(3, d.Validator.ControlDepth);
        ref readonly var loop = ref d.Validator.GetFrame(0);
        Assert.Equal(ControlKind.Loop, loop.Kind);
        Assert.Equal([I32], loop.LabelTypes);
        ref readonly var block = ref d.Validator.GetFrame(1);
        Assert.Equal(ControlKind.Block, block.Kind);
        Assert.Equal([F32], block.LabelTypes);
        Assert.Equal(ControlKind.Function, d.Validator.GetFrame(2).Kind);
    }

    [Fact]
    public void ReachabilityIsReportedAfterBranches()
    {
        var d = new Driver(OneFunction(None, None, Body(0x02, 0x40, 0x0C, 0x00, 0x0B)).Build());
        d.Step();
        Assert.False(d.Validator.IsUnreachable);
        d.Step();
        Assert.True(d.Validator.IsUnreachable);
        Assert.Equal(OperatorValidator.Unknown, d.Validator.PeekOperand(0));
        d.Step();
        Assert.False(d.Validator.IsUnreachable);
        Assert.False(d.Validator.IsFunctionEnded);
        d.Step();
        Assert.True(d.Validator.IsFunctionEnded);
    }

    [Fact]
    public void LocalsIncludeParametersFirst()
    {
        var d = new Driver(OneFunction([F64, I32], None, [0x02, 0x03, 0x7E, 0x01, 0x7B, 0x0B]).Build());
        Assert.Equal(6ul, d.Locals.Count);
        Assert.Equal(2, d.Locals.ParameterCount);
        ValType[] expected = [F64, I32, I64, I64, I64, V128];
        for (uint i = 0; i < expected.Length; i++)
        {
            Assert.True(d.Locals.TryGetType(i, out var t));
            Assert.Equal(expected[i], t);
        }
        Assert.False(d.Locals.TryGetType(6, out _));
    }

    [Fact]
    public void LocalGroupsMergeConsecutiveLocalsOfOneType()
    {
        var locals = new LocalTypes();
        locals.Reset([I32, I32]);
        locals.Add(5, I32);
        locals.Add(0, F32);
        locals.Add(2000, F64);
        Assert.Equal(2, locals.GroupCount);
        Assert.Equal((7ul, I32), locals.GetGroup(0));
        Assert.Equal((2007ul, F64), locals.GetGroup(1));
        Assert.True(locals.TryGetType(2006, out var last));
        Assert.Equal(F64, last);
    }

    [Fact]
    public void ValidateAfterTheFinalEndIsMalformed()
    {
        var d = new Driver(OneFunction(None, None, [0x00, 0x0B, 0x01]).Build());
        d.Step();
        Assert.Throws<MalformedModuleException>(() => d.Step());
    }
}
