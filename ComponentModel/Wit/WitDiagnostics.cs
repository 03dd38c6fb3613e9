using System;
using System.Collections.Generic;
using System.Linq;

namespace Sharptime.ComponentModel.Wit;

/// <summary>One problem found in WIT source: where it is and what is wrong.</summary>
public sealed class WitDiagnostic : IEquatable<WitDiagnostic>
{
    /// <summary>Creates a diagnostic.</summary>
    /// <param name="file">The file (as given to the parser) the problem is in.</param>
    /// <param name="line">One-based line.</param>
    /// <param name="column">One-based column, counted in UTF-16 code units.</param>
    /// <param name="message">What is wrong, e.g. "expected `;`, found `}`".</param>
    public WitDiagnostic(string file, int line, int column, string message)
    {
        File = file;
        Line = line;
        Column = column;
        Message = message;
    }

    /// <summary>The file the problem is in.</summary>
    public string File { get; }

    /// <summary>One-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>One-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>What is wrong.</summary>
    public string Message { get; }

    /// <summary>The diagnostic as <c>file:line:col: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";

    /// <inheritdoc />
    public bool Equals(WitDiagnostic? other) =>
        other is not null && File == other.File && Line == other.Line && Column == other.Column && Message == other.Message;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as WitDiagnostic);

    /// <inheritdoc />
    public override int GetHashCode() => ((File.GetHashCode() * 31 + Line) * 31 + Column) * 31 + Message.GetHashCode();
}

/// <summary>
/// Raised when WIT text cannot be parsed or resolved. This is the only exception the WIT front end raises for bad input;
/// it carries every problem found, sorted by file and position.
/// </summary>
public sealed class WitException : Exception
{
    /// <summary>Creates the exception from one or more diagnostics.</summary>
    public WitException(IEnumerable<WitDiagnostic> diagnostics)
        : this(Sort(diagnostics))
    {
    }

    private WitException(IReadOnlyList<WitDiagnostic> sorted)
        : base(string.Join("\n", sorted.Select(d => d.ToString())))
    {
        Diagnostics = sorted;
    }

    /// <summary>Every problem found, sorted by file, line and column.</summary>
    public IReadOnlyList<WitDiagnostic> Diagnostics { get; }

    private static IReadOnlyList<WitDiagnostic> Sort(IEnumerable<WitDiagnostic> diagnostics)
    {
        var list = diagnostics.Distinct()
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)
            .ThenBy(d => d.Message, StringComparer.Ordinal).ToList();
        if (list.Count == 0) list.Add(new WitDiagnostic("", 0, 0, "unknown WIT error"));
        return list;
    }
}

/// <summary>A position in a WIT source file.</summary>
internal readonly struct WitPos
{
    public WitPos(string file, int line, int column)
    {
        File = file;
        Line = line;
        Column = column;
    }

    public string File { get; }
    public int Line { get; }
    public int Column { get; }

    public WitDiagnostic Error(string message) => new WitDiagnostic(File ?? "", Line, Column, message);
}

/// <summary>Internal signal for an error that stops parsing one file.</summary>
internal sealed class WitSyntaxError : Exception
{
    public WitSyntaxError(WitDiagnostic diagnostic) : base(diagnostic.Message) => Diagnostic = diagnostic;

    public WitDiagnostic Diagnostic { get; }
}
