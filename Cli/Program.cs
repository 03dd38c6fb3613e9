using System.CommandLine;
using Sharptime.Cli.Commands;

var root = new RootCommand("Sharptime: a WebAssembly toolkit for .NET.")
{
    ValidateCommand.Create(),
    ParseCommand.Create(),
};
return root.Parse(args).Invoke();
