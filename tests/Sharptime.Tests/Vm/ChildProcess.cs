using System.Diagnostics;
using System.Runtime.InteropServices;
using Sharptime.Vm.Signals;

namespace Sharptime.Tests.Vm;

/// <summary>
/// This test assembly run as a program (<c>dotnet Sharptime.Tests.dll SCENARIO</c>): scenarios that must end the
/// process, so a test runs them in a child and looks at how it ended.
/// </summary>
public static partial class ChildProcess
{
    /// <summary>Runs a scenario; without arguments does nothing (the test host never calls this).</summary>
    public static int Main(string[] args)
    {
        if (args is ["native-fault"]) return NativeFault();
        return 2;
    }

    /// <summary>Runs <paramref name="scenario"/> in a child process: its exit code and standard output.</summary>
    public static (int Exit, string Output) Run(string scenario)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        start.ArgumentList.Add(scenario);
        // A crashing child need not write a dump.
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        using var child = Process.Start(start)!;
        var error = child.StandardError.ReadToEndAsync();
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        _ = error.Result;
        return (child.ExitCode, output);
    }

    [LibraryImport("libc", EntryPoint = "strlen")]
    private static partial nuint Strlen(nint text);

    private static int NativeFault()
    {
        var engine = new Engine(new Config { BoundsChecks = BoundsChecks.GuardPages });
        using (var store = new Store<int>(engine, 0))
        {
            var instance = new Instance(store, Module.FromText(engine, "(module (memory 1) (func (export \"f\") (param i32) (result i32) (i32.load (local.get 0))))"), []);
            try
            {
                instance.GetFunction("f")!.Call(1 << 20);
            }
            catch (TrapException e) when (e.Code == TrapCode.MemoryOutOfBounds && FaultHandler.IsInstalled)
            {
                Console.WriteLine("installed");
            }
        }
        Console.Out.Flush();
        // A fault in native code that is not ours: the handler must pass it on, and the process must die of it.
        Strlen(0);
        Console.WriteLine("survived");
        return 0;
    }
}
