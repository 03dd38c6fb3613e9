using System.Text;
using Sharptime.Text;
using Sharptime.Validation;

namespace Sharptime.SpecTests;

/// <summary>What one <c>.wast</c> script did: counts per category and every judgement that went wrong.</summary>
internal sealed class SpecReport(string file)
{
    public string File { get; } = file;
    public int ModulesAccepted { get; set; }
    public int MalformedJudged { get; set; }
    public int InvalidJudged { get; set; }
    /// <summary>Modules of assert_unlinkable/assert_trap/assert_uninstantiable: they must validate; linking and running are not done yet.</summary>
    public int ValidatedNotInstantiated { get; set; }
    /// <summary>Commands that execute code (invoke, get, assert_return, ...): counted, not run, until the runtime exists.</summary>
    public int NotRun { get; set; }
    /// <summary>Rejections whose message contains the spec's expected text (reported, not required).</summary>
    public int SpecWording { get; set; }
    public List<string> Failures { get; } = [];

    public int Judged => ModulesAccepted + MalformedJudged + InvalidJudged + ValidatedNotInstantiated;

    public string Summary() =>
        $"{File}: {ModulesAccepted} modules accepted, {MalformedJudged} assert_malformed, {InvalidJudged} assert_invalid, " +
        $"{ValidatedNotInstantiated} link/instantiate modules validated, {NotRun} commands not run, {Failures.Count} failures, " +
        $"{SpecWording} of {MalformedJudged + InvalidJudged} rejections in the spec's wording";

    public string Describe()
    {
        var text = new StringBuilder(Summary()).Append('\n');
        foreach (var failure in Failures) text.Append("  ").Append(failure).Append('\n');
        return text.ToString();
    }
}

/// <summary>
/// Runs the front-end part of a spec script: every module must decode and validate, every assert_malformed must
/// be rejected as malformed and every assert_invalid as invalid. Commands that execute code are counted as not run.
/// </summary>
internal static class SpecScriptRunner
{
    public static SpecReport Run(string path)
    {
        var name = Path.GetFileName(path);
        var report = new SpecReport(name);
        WastScript script;
        try
        {
            script = WastScript.Parse(File.ReadAllText(path), name);
        }
        catch (MalformedModuleException e)
        {
            report.Failures.Add($"script does not parse: {e.Message}");
            return report;
        }

        foreach (var command in script.Commands)
        {
            switch (command)
            {
                case WastModuleCommand c:
                    if (Accept(c.Module, c.Line, "module", report)) report.ModulesAccepted++;
                    break;
                case WastAssertMalformed c:
                    Expect<MalformedModuleException>(c.Module, c.Line, "assert_malformed", c.Message, report);
                    break;
                case WastAssertInvalid c:
                    Expect<InvalidModuleException>(c.Module, c.Line, "assert_invalid", c.Message, report);
                    break;
                case WastAssertUnlinkable c:
                    if (Accept(c.Module, c.Line, "assert_unlinkable", report)) report.ValidatedNotInstantiated++;
                    break;
                case WastAssertUninstantiable c:
                    if (Accept(c.Module, c.Line, "assert_uninstantiable", report)) report.ValidatedNotInstantiated++;
                    break;
                case WastAssertTrap { Module: { } module } c:
                    if (Accept(module, c.Line, "assert_trap", report)) report.ValidatedNotInstantiated++;
                    break;
                default:
                    report.NotRun++;
                    break;
            }
        }
        return report;
    }

    private static bool Accept(WastModule module, int line, string what, SpecReport report)
    {
        try
        {
            WasmFrontEnd.DecodeAndValidate(module.Encode());
            return true;
        }
        catch (WasmException e)
        {
            report.Failures.Add($"line {line} ({what}): expected a valid module, got {e.GetType().Name}: {e.Message}");
            return false;
        }
    }

    private static void Expect<TException>(WastModule module, int line, string what, string expected, SpecReport report)
        where TException : WasmException
    {
        try
        {
            WasmFrontEnd.DecodeAndValidate(module.Encode());
            report.Failures.Add($"line {line} ({what} \"{expected}\"): module was accepted");
        }
        catch (TException e)
        {
            if (e.Message.Contains(expected, StringComparison.Ordinal)) report.SpecWording++;
            if (typeof(TException) == typeof(MalformedModuleException)) report.MalformedJudged++;
            else report.InvalidJudged++;
        }
        catch (WasmException e)
        {
            report.Failures.Add($"line {line} ({what} \"{expected}\"): got {e.GetType().Name}: {e.Message}");
        }
    }
}
