using System.CommandLine;
using Sharptime.Wast;

namespace Sharptime.Cli.Commands;

/// <summary><c>sharptime wast FILE...</c>: run WebAssembly scripts and report each file and the totals.</summary>
internal static class WastCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "WebAssembly script files (.wast).",
            Arity = ArgumentArity.OneOrMore,
        };
        var roundTrip = new Option<bool>("--roundtrip-artifacts")
        {
            Description = "Precompile every module, write it to a temporary .cwasm file and load it back with Module.DeserializeFile before instantiating it.",
        };
        var engineOptions = new EngineOptions();
        var command = new Command("wast", "Run WebAssembly script (.wast) files. Exit code 0 when no command failed, 1 otherwise. "
            + "--fuel, --timeout and --max-memory apply to each script: its store gets the fuel and the memory limit, and its timeout starts with it.")
        {
            files,
            roundTrip,
        };
        engineOptions.AddTo(command);
        command.SetAction(parse =>
        {
            using var storeSettings = engineOptions.CreateStoreSettings(parse);
            var runner = new WastRunner(config: engineOptions.CreateConfig(parse))
            {
                RoundTripArtifacts = parse.GetValue(roundTrip),
                ConfigureStore = storeSettings.Apply,
            };
            int passed = 0, failed = 0, skipped = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                WastFileResult result;
                try
                {
                    result = runner.RunFile(file.FullName, file.Name);
                }
                catch (Exception e)
                {
                    // The runner catches per command; this is a last resort so one file cannot stop the others.
                    failed++;
                    output.WriteLine($"FAIL {file.Name} (runner error: {e.GetType().Name}: {e.Message})");
                    continue;
                }
                passed += result.Passed;
                failed += result.Failed;
                skipped += result.Skipped;
                if (result.Failed == 0 && result.Skipped == 0)
                {
                    output.WriteLine($"PASS {file.Name} ({result.Passed} passed)");
                }
                else if (result.Failed == 0)
                {
                    output.WriteLine($"PASS {file.Name} ({result.Passed} passed, {result.Skipped} skipped)");
                }
                else
                {
                    output.WriteLine($"FAIL {file.Name} ({result.Passed} passed, {result.Failed} failed, {result.Skipped} skipped)");
                    foreach (var failure in result.Failures) output.WriteLine($"  {failure}");
                }
            }
            output.WriteLine(skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
