namespace Sharptime.Vm.Unwind;

/// <summary>The DWARF call-frame constants <c>.eh_frame</c> uses (DWARF 5 §6.4.2, LSB "Exception Frames").</summary>
internal static class Dwarf
{
    // Primary opcodes carry an operand in the low 6 bits.
    public const byte CfaAdvanceLoc = 0x40;
    public const byte CfaOffset = 0x80;
    public const byte CfaRestore = 0xC0;

    public const byte CfaNop = 0x00;
    public const byte CfaSetLoc = 0x01;
    public const byte CfaAdvanceLoc1 = 0x02;
    public const byte CfaAdvanceLoc2 = 0x03;
    public const byte CfaAdvanceLoc4 = 0x04;
    public const byte CfaOffsetExtended = 0x05;
    public const byte CfaRestoreExtended = 0x06;
    public const byte CfaUndefined = 0x07;
    public const byte CfaSameValue = 0x08;
    public const byte CfaRegister = 0x09;
    public const byte CfaRememberState = 0x0A;
    public const byte CfaRestoreState = 0x0B;
    public const byte CfaDefCfa = 0x0C;
    public const byte CfaDefCfaRegister = 0x0D;
    public const byte CfaDefCfaOffset = 0x0E;
    public const byte CfaDefCfaExpression = 0x0F;
    public const byte CfaExpression = 0x10;
    public const byte CfaOffsetExtendedSf = 0x11;
    public const byte CfaDefCfaSf = 0x12;
    public const byte CfaDefCfaOffsetSf = 0x13;
    public const byte CfaValOffset = 0x14;
    public const byte CfaValOffsetSf = 0x15;
    public const byte CfaValExpression = 0x16;
    public const byte CfaGnuArgsSize = 0x2E;

    // Pointer encodings (LSB DW_EH_PE_*): low nibble = format, high nibble = application.
    public const byte PeAbsPtr = 0x00;
    public const byte PeUleb128 = 0x01;
    public const byte PeUdata2 = 0x02;
    public const byte PeUdata4 = 0x03;
    public const byte PeUdata8 = 0x04;
    public const byte PeSleb128 = 0x09;
    public const byte PeSdata2 = 0x0A;
    public const byte PeSdata4 = 0x0B;
    public const byte PeSdata8 = 0x0C;
    public const byte PePcRel = 0x10;
    public const byte PeOmit = 0xFF;

    /// <summary>Code alignment factor of our CIE: every x86 byte is addressable.</summary>
    public const int CodeAlignment = 1;
    /// <summary>Data alignment factor of our CIE: saved registers sit at multiples of 8 below the CFA.</summary>
    public const int DataAlignment = -8;
}
