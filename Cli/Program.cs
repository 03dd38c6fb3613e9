return Sharptime.Cli.CliApp.Run(args, Console.Out, Console.Error);
