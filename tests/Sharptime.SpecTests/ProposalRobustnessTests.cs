using Sharptime.Tests.Shared;
using Sharptime.Text;
using Sharptime.Validation;
using Xunit.Abstractions;

namespace Sharptime.SpecTests;

/// <summary>
/// Scripts of proposals beyond 2.0 (GC, exceptions, memory64, threads, ...) are not supported yet, but their
/// syntax and binaries are realistic hostile input: the front end must reject what it does not know with
/// <see cref="MalformedModuleException"/> or <see cref="InvalidModuleException"/> and nothing else.
/// </summary>
public sealed class ProposalRobustnessTests(ITestOutputHelper output)
{
    public static TheoryData<string> Proposals()
    {
        var data = new TheoryData<string>();
        if (SpecDirectory.Path is not { } root || !Directory.Exists(Path.Combine(root, "proposals")))
        {
            data.Add(CoreSpecTests.Missing);
            return data;
        }
        foreach (var dir in Directory.GetDirectories(Path.Combine(root, "proposals")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(dir));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Proposals))]
    public void UnsupportedProposalInputIsRejectedOnlyWithOurExceptions(string proposal)
    {
        var dir = Path.Combine(SpecDirectory.Require("proposals"), proposal);
        int accepted = 0, rejected = 0;
        var unexpected = new List<string>();
        foreach (var file in Directory.GetFiles(dir, "*.wast", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            WastScript script;
            try
            {
                script = WastScript.Parse(File.ReadAllText(file), name);
            }
            catch (MalformedModuleException)
            {
                rejected++;
                continue;
            }
            foreach (var command in script.Commands)
            {
                var module = command.ModuleOrNull;
                if (module is null) continue;
                try
                {
                    WasmFrontEnd.DecodeAndValidate(module.Encode());
                    accepted++;
                }
                catch (Exception e) when (e is MalformedModuleException or InvalidModuleException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    unexpected.Add($"{name}:{command.Line}: {e.GetType().Name}: {e.Message}");
                }
            }
        }
        output.WriteLine($"{proposal}: {accepted} modules accepted, {rejected} rejected, {unexpected.Count} unexpected exceptions");
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected.Take(20)));
    }
}
