using Sharptime.Format;
using Sharptime.Validation;
using static Sharptime.Tests.Validation.V;

namespace Sharptime.Tests.Validation;

/// <summary>Arbitrary bytes may only ever produce the two module errors: no crash, no other exception, no hang.</summary>
public class ValidationRobustnessTests
{
    // Bodies (with local declarations) touching every immediate kind and most typing rules.
    private static readonly byte[][] Seeds =
    [
        Body(0x02, 0x7F, 0x03, 0x7F, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x0B, 0x0B, 0x1A),
        Body(0x02, 0x7F, 0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x01, 0x0B, 0x0B, 0x1A),
        [0x02, 0x02, 0x7E, 0x01, 0x7B, 0x20, 0x00, 0x20, 0x01, 0x7C, 0x1A, 0x20, 0x03, 0xFD, 0x15, 0x03, 0x1A, 0x0B],
        Body(0x41, 0x00, 0x28, 0x02, 0x04, 0x41, 0x00, 0x36, 0x02, 0x00, 0x3F, 0x00, 0x40, 0x00, 0x1A),
        Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0xFC, 0x09, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x00, 0x00),
        Body(0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x00, 0x00, 0xFC, 0x0D, 0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x00),
        Body(0xD0, 0x70, 0x41, 0x01, 0xFC, 0x0F, 0x00, 0x1A, 0xD2, 0x00, 0xD1, 0x1A, 0x41, 0x00, 0x25, 0x00, 0x1A),
        Body(0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1B, 0x1A, 0xD0, 0x6F, 0xD0, 0x6F, 0x41, 0x00, 0x1C, 0x01, 0x6F, 0x1A),
        Body(0xFD, 0x0C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0xFD, 0x0C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            0xFD, 0x0D, 0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31, 0x1A),
        Body(0x41, 0x00, 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFD, 0x54, 0x00, 0x00, 0x0F, 0x1A),
        Body(0x43, 0, 0, 0x80, 0x3F, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0xB6, 0x92, 0x1A, 0x42, 0x7F, 0x10, 0x00),
        Body(0x41, 0x00, 0x41, 0x00, 0x11, 0x01, 0x00, 0x1A, 0x23, 0x00, 0x24, 0x01, 0x00, 0x0C, 0x00, 0x0F),
    ];

    private static ModuleInfo ModuleFor(byte[] body)
    {
        var builder = new TestModuleBuilder().Memory().Table(FuncRef).Table(ExternRef)
            .Global(I32, mutable: false).Global(I32, mutable: true)
            .PassiveElements(FuncRef).PassiveData(2, withDataCountSection: true).DeclareFunctionReference(0);
        uint t0 = builder.Type([I64], []);
        builder.Type([I32], [I64]);
        builder.Function(t0, body);
        return builder.Build();
    }

    [Fact]
    public void RandomMutationsOnlyRaiseModuleErrors()
    {
        var random = new Random(12345);
        int valid = 0, rejected = 0;
        for (int iteration = 0; iteration < 20000; iteration++)
        {
            var body = (byte[])Seeds[random.Next(Seeds.Length)].Clone();
            int mutations = 1 + random.Next(4);
            for (int m = 0; m < mutations; m++)
            {
                switch (random.Next(4))
                {
                    case 0: body[random.Next(body.Length)] = (byte)random.Next(256); break;
                    case 1: body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8)); break;
                    case 2: body = body.AsSpan(0, random.Next(body.Length + 1)).ToArray(); break;
                    default:
                    {
                        int at = random.Next(body.Length + 1);
                        body = [.. body.AsSpan(0, at), (byte)random.Next(256), .. body.AsSpan(at)];
                        break;
                    }
                }
                if (body.Length == 0) body = [0x00];
            }

            try
            {
                FunctionBodyValidator.Validate(ModuleFor(body), 0);
                valid++;
            }
            catch (MalformedModuleException) { rejected++; }
            catch (InvalidModuleException) { rejected++; }
        }
        Assert.True(valid > 0 && rejected > 0);
    }

    [Fact]
    public void EverySeedIsValid()
    {
        foreach (var seed in Seeds) FunctionBodyValidator.Validate(ModuleFor(seed), 0);
    }

    [Fact]
    public void EveryOperatorWithoutSignatureHasATypingRule()
    {
        // Feeds each such operator to a validator in unreachable code, where operands never run out:
        // an operator without a rule would surface as InvalidOperationException.
        var module = ModuleFor(Body());
        var locals = new LocalTypes();
        locals.Reset([I64]);
        var validator = new OperatorValidator();
        foreach (var info in OperatorTable.All)
        {
            if (info.Params is not null || info.Opcode is Opcode.Else or Opcode.End) continue;
            validator.BeginFunction(module, 0, locals);
            var op = new Operator { Opcode = Opcode.Unreachable, Info = OperatorTable.Get(Opcode.Unreachable) };
            validator.Validate(in op);
            op = new Operator { Opcode = info.Opcode, Info = info, RefType = FuncRef, SelectTypeCount = 1, SelectType = I32 };
            try
            {
                validator.Validate(in op);
            }
            catch (InvalidModuleException)
            {
                // A rule that rejects (e.g. global.set of the immutable global 0) is still a rule.
            }
        }
    }
}
