using Iced.Intel;

namespace Sharptime.Compiler.X64;

/// <summary>Arithmetic on x86 condition codes.</summary>
internal static class Conditions
{
    public static ConditionCode Negate(ConditionCode cc) => cc switch
    {
        ConditionCode.e => ConditionCode.ne,
        ConditionCode.ne => ConditionCode.e,
        ConditionCode.l => ConditionCode.ge,
        ConditionCode.ge => ConditionCode.l,
        ConditionCode.le => ConditionCode.g,
        ConditionCode.g => ConditionCode.le,
        ConditionCode.b => ConditionCode.ae,
        ConditionCode.ae => ConditionCode.b,
        ConditionCode.be => ConditionCode.a,
        ConditionCode.a => ConditionCode.be,
        ConditionCode.p => ConditionCode.np,
        ConditionCode.np => ConditionCode.p,
        ConditionCode.s => ConditionCode.ns,
        ConditionCode.ns => ConditionCode.s,
        _ => throw new ArgumentOutOfRangeException(nameof(cc), cc, null),
    };
}
