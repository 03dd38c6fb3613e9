namespace Sharptime.Wast;

/// <summary>How one script command ended.</summary>
public enum WastOutcome
{
    /// <summary>The command did what the script expects.</summary>
    Passed,
    /// <summary>The command did something else, or threw.</summary>
    Failed,
    /// <summary>The command was not run (components, v128 values, SIMD the runtime does not support yet); <see cref="WastCommandResult.Message"/> says why.</summary>
    Skipped,
}

/// <summary>The result of one command of a <c>.wast</c> script.</summary>
/// <param name="File">The script's file name (as given to the runner).</param>
/// <param name="Line">The 1-based line where the command starts.</param>
/// <param name="Command">The command's keyword, e.g. <c>assert_return</c>.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Message">For a failure, what went wrong; for a skip, the reason; otherwise null.</param>
public sealed record WastCommandResult(string File, int Line, string Command, WastOutcome Outcome, string? Message)
{
    /// <summary><c>file:line: message</c>.</summary>
    public override string ToString() => $"{File}:{Line}: {Command}: {Message ?? Outcome.ToString()}";
}

/// <summary>What running one script did: every command's result and the counts.</summary>
public sealed class WastFileResult
{
    internal WastFileResult(string file, IReadOnlyList<WastCommandResult> results)
    {
        File = file;
        Results = results;
        foreach (var r in results)
        {
            switch (r.Outcome)
            {
                case WastOutcome.Passed: Passed++; break;
                case WastOutcome.Failed: Failed++; break;
                default: Skipped++; break;
            }
        }
    }

    /// <summary>The script's file name (as given to the runner).</summary>
    public string File { get; }

    /// <summary>One result per command, in script order (a script that does not parse has one failed result).</summary>
    public IReadOnlyList<WastCommandResult> Results { get; }

    /// <summary>Commands that passed.</summary>
    public int Passed { get; }

    /// <summary>Commands that failed.</summary>
    public int Failed { get; }

    /// <summary>Commands that were not run.</summary>
    public int Skipped { get; }

    /// <summary>The failed commands.</summary>
    public IEnumerable<WastCommandResult> Failures => Results.Where(r => r.Outcome == WastOutcome.Failed);

    /// <summary>The skipped commands.</summary>
    public IEnumerable<WastCommandResult> Skips => Results.Where(r => r.Outcome == WastOutcome.Skipped);

    /// <summary>A one-line summary: <c>file: N passed, M failed, K skipped</c>.</summary>
    public override string ToString() => $"{File}: {Passed} passed, {Failed} failed, {Skipped} skipped";
}
