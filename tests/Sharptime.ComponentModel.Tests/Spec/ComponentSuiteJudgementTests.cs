using System.Text;
using Sharptime.ComponentModel.Binary;
using Sharptime.ComponentModel.Text;
using Sharptime.Tests.Shared;
using Sharptime.Text;
using Sharptime.Validation;
using Xunit.Abstractions;

namespace Sharptime.ComponentModel.Tests.Spec;

/// <summary>
/// Judges every component and module of the component-model and wasmtime-component suites end to end (text →
/// binary → decode → validate, with the runtime's implementation limits): <c>module</c>/<c>component</c> commands and
/// the modules of assert_unlinkable, assert_trap and assert_uninstantiable must validate, assert_invalid must be
/// invalid, assert_malformed malformed. Every script must parse, an assert_malformed written as text must already be
/// rejected by the text encoder, and nothing but the front end's two exceptions may escape. Commands that need the
/// component runtime are counted as not run.
/// </summary>
public sealed class ComponentSuiteJudgementTests(ITestOutputHelper output)
{
    private enum Verdict { Valid, Invalid, Malformed }

    /// <summary>The suites read, relative to the spec folder.</summary>
    private static readonly string[] Suites = ["component-model", "wasmtime-component"];

    /// <summary>
    /// Scripts whose components use features we do not support, with the reason: the one place such a list lives.
    /// Their components are still encoded and judged (so nothing may crash), but may differ from the suite. The test
    /// fails when a listed file no longer has any differing judgement, so the list cannot go stale.
    /// </summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["component-model/linking/tags.wast"] = "core text: tags (exception handling)",
        ["component-model/linking/unit.wast"] = "core text: memory operands of loads/stores (multi-memory)",
        ["component-model/validation/instantiation.wast"] = "core text: shared memories (threads); core modules with several memories",
        ["wasmtime-component/alias-region-known-imported-entities.wast"] = "core text: GC reference types",
        ["wasmtime-component/alias-region-multiple-instantiations.wast"] = "core text: GC reference types",
        ["wasmtime-component/alias-region-reexported-ambiguous-entities.wast"] = "core text: GC reference types",
        ["wasmtime-component/alias-region-reexported-entities-to-imported-module.wast"] = "core module types: GC reference types",
        ["wasmtime-component/alias-region-reexported-known-entities.wast"] = "core text: GC reference types",
        ["wasmtime-component/async/exceptions.wast"] = "core text: tags (exception handling)",
        ["wasmtime-component/async/intra-streams.wast"] = "core text: memory operands of loads/stores (multi-memory)",
        ["wasmtime-component/async/streams-massive-send.wast"] = "core text: plain instructions as operands of a folded call",
        ["wasmtime-component/exceptions.wast"] = "core text: tags (exception handling), GC reference types",
        ["wasmtime-component/fixed_length_lists.wast"] = "text: quoted identifiers $\"...\"",
        ["wasmtime-component/gc/empty.wast"] = "component text: the gc canonical option (GC proposal)",
        ["wasmtime-component/memory64.wast"] = "core text: 64-bit memories",
        ["wasmtime-component/modules.wast"] = "core text: tags (exception handling)",
        ["wasmtime-component/tags.wast"] = "core text: tags (exception handling)",
    };

    /// <summary>
    /// Single judgements that differ from the suite, with the reason (none at present: Wasmtime's implementation limits
    /// are ours, see <see cref="ImplementationLimits"/>). The test fails when an entry here starts to agree.
    /// </summary>
    private static readonly Dictionary<string, string> KnownDivergences = new(StringComparer.Ordinal)
    {
    };

    private static IEnumerable<string> Scripts()
    {
        var root = SpecDirectory.Require();
        foreach (var suite in Suites)
        {
            var dir = Path.Combine(root, suite);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                yield return Path.GetRelativePath(root, file).Replace('\\', '/');
        }
    }

    [Fact]
    public void EveryComponentSuiteModuleIsJudgedLikeTheSuite()
    {
        var root = SpecDirectory.Require();
        int scripts = 0, judged = 0, agreed = 0, excused = 0, notRun = 0;
        var failures = new List<string>();
        var divergences = new List<string>();
        var stillDiverging = new HashSet<string>(StringComparer.Ordinal);
        var excusedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rel in Scripts())
        {
            scripts++;
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
                var key = $"{rel}:{command.Line}";
                var (actual, reason, encoded) = Judge(module, features);
                if (actual is null)
                {
                    failures.Add($"{key}: {reason}");
                    continue;
                }
                // The binary form of an assert_malformed is left to the decoder; a text one is the encoder's to reject.
                if (expected == Verdict.Malformed && encoded && module.Kind is WastModuleKind.ComponentQuote or WastModuleKind.ComponentText
                    or WastModuleKind.Quote or WastModuleKind.Text)
                {
                    failures.Add($"{key}: assert_malformed in text was encoded{(reason is null ? "" : " (then: " + reason + ")")}");
                    continue;
                }
                if (actual == expected)
                {
                    agreed++;
                    continue;
                }
                var description = $"{key}: expected {expected}, got {actual}{(reason is null ? "" : ": " + reason)}";
                divergences.Add(description);
                if (KnownDivergences.ContainsKey(key))
                {
                    stillDiverging.Add(key);
                    excused++;
                }
                else if (Unsupported.ContainsKey(rel))
                {
                    excusedFiles.Add(rel);
                    excused++;
                }
                else
                {
                    failures.Add(description);
                }
            }
        }
        // Both lists stay honest: an entry that no longer excuses anything must go.
        foreach (var key in KnownDivergences.Keys)
        {
            if (!stillDiverging.Contains(key)) failures.Add($"{key} is listed as a known divergence but is now judged like the suite");
        }
        foreach (var file in Unsupported.Keys)
        {
            if (!excusedFiles.Contains(file)) failures.Add($"{file} is listed as unsupported but every judgement in it agrees with the suite");
        }
        var summary = new StringBuilder($"{scripts} scripts; {judged} modules and components judged: {agreed} like the suite, " +
            $"{excused} excused (unsupported features or known divergences), {failures.Count} failures; {notRun} commands not run\n");
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

    /// <summary>
    /// The verdict on one module or component, the reason when it is not valid, and whether the text encoder produced
    /// bytes. A null verdict means an exception other than the front end's two escaped (always a failure).
    /// </summary>
    private static (Verdict? Verdict, string? Reason, bool Encoded) Judge(WastModule module, ComponentFeatures features)
    {
        byte[] bytes;
        try
        {
            bytes = ComponentWat.Encode(module);
        }
        catch (MalformedModuleException e)
        {
            return (Verdict.Malformed, e.Message, false);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name} escaped the text encoder: {e.Message}", false);
        }
        try
        {
            // Both suites judge components that are to be run, so the runtime's implementation limits apply.
            if (ComponentFrontEnd.IsComponent(bytes)) ComponentFrontEnd.DecodeForInstantiation(bytes, features);
            else WasmFrontEnd.DecodeAndValidate(bytes);
            return (Verdict.Valid, null, true);
        }
        catch (MalformedModuleException e)
        {
            return (Verdict.Malformed, e.Message, true);
        }
        catch (InvalidModuleException e)
        {
            return (Verdict.Invalid, e.Message, true);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name} escaped the decoder: {e.Message}", true);
        }
    }
}
