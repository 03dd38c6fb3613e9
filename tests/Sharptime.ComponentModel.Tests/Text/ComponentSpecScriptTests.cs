using System.Text;
using Sharptime.ComponentModel.Text;
using Sharptime.Tests.Shared;
using Sharptime.Text;
using Xunit.Abstractions;

namespace Sharptime.ComponentModel.Tests.Text;

/// <summary>
/// Reads every component-model script and encodes every component and module in it. Nothing is run yet: the checks
/// are that scripts parse, that every <c>assert_malformed</c> of a quoted or text component is rejected as malformed,
/// and that nothing but <see cref="MalformedModuleException"/> ever escapes the encoder. Counts are reported.
/// </summary>
public sealed class ComponentSpecScriptTests(ITestOutputHelper output)
{
    /// <summary>The suites read, relative to the spec folder.</summary>
    private static readonly string[] Suites = ["component-model", "wasmtime-component"];

    /// <summary>
    /// Scripts whose components use features the encoder does not support yet, with the reason. They are still
    /// parsed and encoded (so nothing may crash), but their components are not required to encode. Keep this the
    /// only place such a list lives.
    /// </summary>
    internal static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["component-model/linking/tags.wast"] = "core text: tags (exception handling)",
        ["component-model/linking/unit.wast"] = "core text: memory operands of loads/stores (multi-memory)",
        ["component-model/validation/instantiation.wast"] = "core text: shared memories (threads)",
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

    internal static IEnumerable<object[]> Scripts()
    {
        var root = SpecDirectory.Path;
        if (root is null) yield break;
        foreach (var suite in Suites)
        {
            var dir = Path.Combine(root, suite);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                yield return [Path.GetRelativePath(root, file).Replace('\\', '/')];
        }
    }

    [Fact]
    public void EverySuiteScriptParsesAndItsComponentsEncode()
    {
        var root = SpecDirectory.Require();
        int scripts = 0, components = 0, encoded = 0, modules = 0, modulesEncoded = 0, malformed = 0, malformedJudged = 0, wording = 0;
        var failures = new List<string>();
        var notEncoded = new List<string>();
        var excusedFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Scripts())
        {
            var rel = (string)row[0];
            scripts++;
            WastScript script;
            try
            {
                script = WastScript.Parse(File.ReadAllText(Path.Combine(root, rel)), rel);
            }
            catch (MalformedModuleException e)
            {
                failures.Add($"{rel}: script does not parse: {e.Message}");
                continue;
            }
            foreach (var command in script.Commands)
            {
                var (module, expectMalformed) = command switch
                {
                    WastModuleCommand c => (c.Module, false),
                    WastAssertMalformed c => (c.Module, true),
                    WastAssertInvalid c => (c.Module, false),
                    WastAssertUnlinkable c => (c.Module, false),
                    WastAssertUninstantiable c => (c.Module, false),
                    WastAssertTrap { Module: { } m } => (m, false),
                    _ => (null, false),
                };
                if (module is null) continue;
                bool isComponent = module.IsComponent;
                if (expectMalformed) malformed++;
                else if (isComponent) components++;
                else modules++;
                Exception? error = null;
                try
                {
                    _ = ComponentWat.Encode(module);
                }
                catch (Exception e)
                {
                    error = e;
                }
                if (error is not null and not MalformedModuleException)
                {
                    failures.Add($"{rel}:{command.Line}: {error.GetType().Name} escaped: {error.Message}");
                    continue;
                }
                if (expectMalformed)
                {
                    // A binary form is judged by the decoder; the text encoder only passes its bytes through.
                    if (error is not null)
                    {
                        malformedJudged++;
                        if (error.Message.Contains(((WastAssertMalformed)command).Message, StringComparison.Ordinal)) wording++;
                    }
                    else if (module.Kind is WastModuleKind.ComponentQuote or WastModuleKind.ComponentText or WastModuleKind.Quote or WastModuleKind.Text)
                        failures.Add($"{rel}:{command.Line}: assert_malformed was encoded");
                    continue;
                }
                if (error is null)
                {
                    if (isComponent) encoded++;
                    else modulesEncoded++;
                }
                else
                {
                    notEncoded.Add($"{rel}:{command.Line}: {error.Message}");
                    if (Unsupported.ContainsKey(rel)) excusedFiles.Add(rel);
                    else failures.Add($"{rel}:{command.Line}: not encoded: {error.Message}");
                }
            }
        }
        var summary = new StringBuilder()
            .AppendLine($"{scripts} scripts; components encoded {encoded} of {components}; core modules encoded {modulesEncoded} of {modules}; " +
                        $"assert_malformed rejected {malformedJudged} of {malformed} (binary ones are left to the decoder), " +
                        $"{wording} in the suite's wording");
        foreach (var n in notEncoded) summary.AppendLine("  not encoded: " + n);
        // The list stays honest: an entry whose file now encodes completely must go.
        foreach (var file in Unsupported.Keys)
        {
            if (!excusedFiles.Contains(file)) failures.Add($"{file} is listed as unsupported but every component in it encodes");
        }
        output.WriteLine(summary.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}
