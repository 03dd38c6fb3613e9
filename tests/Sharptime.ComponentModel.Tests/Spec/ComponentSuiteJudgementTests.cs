using System.Text;
using Sharptime.ComponentModel.Binary;
using Sharptime.ComponentModel.Tests.Text;
using Sharptime.ComponentModel.Text;
using Sharptime.Tests.Shared;
using Sharptime.Text;
using Sharptime.Validation;
using Xunit.Abstractions;

namespace Sharptime.ComponentModel.Tests.Spec;

/// <summary>
/// Judges every component and module of the component-model and wasmtime-component suites end to end (text →
/// binary → decode → validate): <c>module</c>/<c>component</c> commands and the modules of assert_unlinkable,
/// assert_trap and assert_uninstantiable must validate, assert_invalid must be invalid, assert_malformed malformed.
/// Commands that need the component runtime are counted as not run.
/// </summary>
public sealed class ComponentSuiteJudgementTests(ITestOutputHelper output)
{
    private enum Verdict { Valid, Invalid, Malformed }

    /// <summary>
    /// Single judgements that differ from the suite, with the reason (none at present: Wasmtime's implementation limits
    /// are ours, see <see cref="ImplementationLimits"/>). Files behind unsupported features are listed in
    /// <see cref="ComponentSpecScriptTests.Unsupported"/>. The test fails when an entry here starts to agree, so the
    /// list cannot go stale.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDivergences = new(StringComparer.Ordinal)
    {
    };

    [Fact]
    public void EveryComponentSuiteModuleIsJudgedLikeTheSuite()
    {
        var root = SpecDirectory.Require();
        int judged = 0, agreed = 0, excused = 0, notRun = 0;
        var failures = new List<string>();
        var divergences = new List<string>();
        var stillDiverging = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ComponentSpecScriptTests.Scripts())
        {
            var rel = (string)row[0];
            WastScript script;
            var text = File.ReadAllText(Path.Combine(root, rel));
            var features = Features(text);
            try
            {
                script = WastScript.Parse(text, rel);
            }
            catch (MalformedModuleException e)
            {
                failures.Add($"{rel}: script does not parse: {e.Message}");
                continue;
            }
            foreach (var command in script.Commands)
            {
                var (module, expected) = command switch
                {
                    WastModuleCommand c => (c.Module, Verdict.Valid),
                    WastAssertMalformed c => (c.Module, Verdict.Malformed),
                    WastAssertInvalid c => (c.Module, Verdict.Invalid),
                    WastAssertUnlinkable c => (c.Module, Verdict.Valid),
                    WastAssertUninstantiable c => (c.Module, Verdict.Valid),
                    WastAssertTrap { Module: { } m } => (m, Verdict.Valid),
                    _ => (null, Verdict.Valid),
                };
                if (module is null)
                {
                    notRun++;
                    continue;
                }
                judged++;
                var (actual, reason) = Judge(module, features);
                if (actual == expected)
                {
                    agreed++;
                    continue;
                }
                var key = $"{rel}:{command.Line}";
                var description = $"{key}: expected {expected}, got {actual}{(reason is null ? "" : ": " + reason)}";
                divergences.Add(description);
                if (KnownDivergences.ContainsKey(key))
                {
                    stillDiverging.Add(key);
                    excused++;
                }
                else if (ComponentSpecScriptTests.Unsupported.ContainsKey(rel))
                {
                    excused++;
                }
                else
                {
                    failures.Add(description);
                }
            }
        }
        foreach (var key in KnownDivergences.Keys)
        {
            if (!stillDiverging.Contains(key)) failures.Add($"{key} is listed as a known divergence but is now judged like the suite");
        }
        var summary = new StringBuilder($"{judged} modules and components judged: {agreed} like the suite, {excused} excused " +
            $"(unsupported features or known divergences), {failures.Count} failures; {notRun} commands not run\n");
        foreach (var d in divergences) summary.Append("  ").Append(d).Append('\n');
        output.WriteLine(summary.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    /// <summary>
    /// The optional features a script switches off in its <c>;;! name = false</c> header lines (Wasmtime's way of
    /// configuring a test); every feature we support is on otherwise.
    /// </summary>
    private static ComponentFeatures Features(string script)
    {
        var features = ComponentFeatures.All;
        foreach (var line in script.Split('\n'))
        {
            if (!line.StartsWith(";;!", StringComparison.Ordinal)) break;
            var parts = line[3..].Split('=', StringSplitOptions.TrimEntries);
            if (parts is ["component_model_implements", "false"]) features &= ~ComponentFeatures.Implements;
        }
        return features;
    }

    private static (Verdict Verdict, string? Reason) Judge(WastModule module, ComponentFeatures features)
    {
        try
        {
            var bytes = ComponentWat.Encode(module);
            // Both suites judge components that are to be run, so the runtime's implementation limits apply.
            if (ComponentFrontEnd.IsComponent(bytes)) ComponentFrontEnd.DecodeForInstantiation(bytes, features);
            else WasmFrontEnd.DecodeAndValidate(bytes);
            return (Verdict.Valid, null);
        }
        catch (MalformedModuleException e)
        {
            return (Verdict.Malformed, e.Message);
        }
        catch (InvalidModuleException e)
        {
            return (Verdict.Invalid, e.Message);
        }
    }
}
