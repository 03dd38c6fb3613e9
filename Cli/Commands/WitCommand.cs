using System.CommandLine;
using Sharptime.ComponentModel.Wit;

namespace Sharptime.Cli.Commands;

/// <summary><c>sharptime wit FILE|DIR [--deps PATH...]</c>: parse and resolve WIT, print the root packages back as WIT.</summary>
internal static class WitCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var path = new Argument<string>("path")
        {
            Description = "A .wit file, or a directory holding one package's .wit files (and its deps/ folder).",
        };
        var features = new Option<string[]>("--features")
        {
            Description = "Enable @unstable features by name (comma-separated or repeated).",
            AllowMultipleArgumentsPerToken = true,
        };
        var allFeatures = new Option<bool>("--all-features") { Description = "Enable every @unstable feature." };
        var deps = new Option<string[]>("--deps")
        {
            Description = "More packages (files or directories) the WIT may refer to; they are resolved but not printed.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("wit", "Resolve a WIT file or directory and print the result as WIT. Exit code 1 on errors, one line per problem.")
        {
            path,
            features,
            allFeatures,
            deps,
        };
        command.SetAction(parse =>
        {
            var options = new WitOptions { AllFeatures = parse.GetValue(allFeatures) };
            foreach (var feature in (parse.GetValue(features) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                options.Features.Add(feature);
            try
            {
                var resolver = new WitResolver(options);
                resolver.AddPath(parse.GetValue(path)!);
                foreach (var dep in parse.GetValue(deps) ?? []) resolver.AddPath(dep, isDependency: true);
                var resolution = resolver.Resolve();
                var roots = resolution.Roots;
                output.Write(roots.Count == 1 ? WitPrinter.Print(roots[0]) : WitPrinter.Print(roots));
                return 0;
            }
            catch (WitException e)
            {
                foreach (var diagnostic in e.Diagnostics) error.WriteLine(diagnostic.ToString());
                return 1;
            }
        });
        return command;
    }
}
