using System.Text.Json;
using Sharptime.Tests.Shared;
using Sharptime.Text;
using Xunit.Abstractions;

namespace Sharptime.SpecTests;

/// <summary>
/// Differential check of the text encoder: every text module of the core suite must encode to the same module
/// as wabt's <c>wast2json</c> produces for it, compared after <see cref="ModuleNormalizer"/> folds together the
/// encodings the spec treats as equal. Also counts how many are byte-identical (custom sections aside).
/// </summary>
public sealed class TextEncodingAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string> Scripts() => CoreSpecTests.Scripts();

    [RequiresToolTheory("wast2json")]
    [MemberData(nameof(Scripts))]
    public void TextModulesEncodeLikeWabt(string script)
    {
        var path = Path.Combine(SpecDirectory.Require("core"), script);
        var work = Directory.CreateTempSubdirectory("sharptime-wast2json-");
        try
        {
            var json = Path.Combine(work.FullName, "script.json");
            var (exit, error) = ExternalTool.Run(ExternalTool.Find("wast2json")!, "--enable-all", path, "-o", json);
            if (exit != 0)
            {
                // Old wabt releases reject some valid 2.0 syntax; say so rather than pass or fail silently.
                output.WriteLine($"not compared: wast2json cannot read {script}: {FirstLine(error)}");
                return;
            }
            var reference = ReferenceModulesByLine(json, work.FullName);
            var script_ = WastScript.Parse(File.ReadAllText(path), script);
            int compared = 0, identical = 0;
            var mismatches = new List<string>();
            foreach (var (line, module) in TextModules(script_))
            {
                if (!reference.TryGetValue(line, out var expected)) continue;
                var ours = module.Encode();
                compared++;
                if (WasmSections.WithoutCustomSections(ours).AsSpan().SequenceEqual(WasmSections.WithoutCustomSections(expected)))
                {
                    identical++;
                    continue;
                }
                string oursText = ModuleNormalizer.Normalize(ours), theirs = ModuleNormalizer.Normalize(expected);
                if (oursText != theirs) mismatches.Add($"line {line}:\n  ours {oursText}\n  wabt {theirs}");
            }
            output.WriteLine($"{script}: {compared} text modules compared with wabt, {identical} byte-identical, {mismatches.Count} differ");
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} modules differ from wabt:\n{string.Join("\n", mismatches.Take(10))}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static IEnumerable<(int Line, WastModule Module)> TextModules(WastScript script)
    {
        foreach (var command in script.Commands)
        {
            // Malformed modules have no reference encoding.
            var module = command is WastAssertMalformed ? null : command.ModuleOrNull;
            if (module is { Kind: WastModuleKind.Text }) yield return (command.Line, module);
        }
    }

    private static Dictionary<int, byte[]> ReferenceModulesByLine(string jsonPath, string dir)
    {
        var result = new Dictionary<int, byte[]>();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(jsonPath));
        foreach (var command in doc.RootElement.GetProperty("commands").EnumerateArray())
        {
            if (!command.TryGetProperty("filename", out var file)) continue;
            if (command.TryGetProperty("module_type", out var type) && type.GetString() != "binary") continue;
            if (command.GetProperty("type").GetString() == "assert_malformed") continue;
            result[command.GetProperty("line").GetInt32()] = File.ReadAllBytes(Path.Combine(dir, file.GetString()!));
        }
        return result;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}
