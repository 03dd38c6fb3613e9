using System.Security.Cryptography;

namespace Sharptime.Wasi;

/// <summary>What a directory preopened for the guest allows.</summary>
public enum WasiDirPermissions
{
    /// <summary>Read files and list directories; nothing can be created, changed or removed.</summary>
    ReadOnly,

    /// <summary>Everything the guest asks for, inside the directory.</summary>
    ReadWrite,
}

/// <summary>A host directory the guest sees as <see cref="GuestPath"/>.</summary>
/// <param name="HostPath">The host directory.</param>
/// <param name="GuestPath">The name the guest opens it by (e.g. <c>/data</c> or <c>.</c>).</param>
/// <param name="Permissions">What the guest may do inside.</param>
public sealed record WasiPreopen(string HostPath, string GuestPath, WasiDirPermissions Permissions);

/// <summary>
/// Describes a WASI program's world: its arguments and environment, where its standard streams go, which host
/// directories it may reach, and its clock and random sources. Build one, then create a <see cref="WasiContext"/>
/// per store from it.
/// </summary>
public sealed class WasiConfig
{
    private readonly List<string> _args = [];
    private readonly List<KeyValuePair<string, string>> _env = [];
    private readonly List<WasiPreopen> _preopens = [];

    /// <summary>The arguments, <c>argv[0]</c> first.</summary>
    public IReadOnlyList<string> Arguments => _args;

    /// <summary>The environment variables, in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment => _env;

    /// <summary>The preopened directories, in descriptor order from 3.</summary>
    public IReadOnlyList<WasiPreopen> Preopens => _preopens;

    /// <summary>Standard input; null reads as end of file.</summary>
    public Stream? Stdin { get; private set; }

    /// <summary>Standard output; null discards.</summary>
    public Stream? Stdout { get; private set; }

    /// <summary>Standard error; null discards.</summary>
    public Stream? Stderr { get; private set; }

    /// <summary>Whether each standard stream is the host process's own (reported to the guest as a terminal when it is one).</summary>
    internal bool[] Inherited { get; } = new bool[3];

    /// <summary>The clocks the guest reads.</summary>
    public WasiClock Clock { get; private set; } = WasiClock.System;

    /// <summary>The source of <c>random_get</c>.</summary>
    public WasiRandomSource Random { get; private set; } = RandomNumberGenerator.Fill;

    /// <summary>Appends <paramref name="args"/> to the arguments (the first one is the program name).</summary>
    public WasiConfig WithArguments(params IEnumerable<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        foreach (var a in args) _args.Add(a ?? throw new ArgumentException("an argument is null", nameof(args)));
        return this;
    }

    /// <summary>Adds the environment variable <paramref name="name"/>=<paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains '='.</exception>
    public WasiConfig WithEnvironment(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || name.Contains('=')) throw new ArgumentException($"invalid environment variable name '{name}'", nameof(name));
        _env.Add(new(name, value));
        return this;
    }

    /// <summary>Gives the guest the host process's standard input, output and error.</summary>
    public WasiConfig InheritStdio()
    {
        Stdin = Console.OpenStandardInput();
        Stdout = Console.OpenStandardOutput();
        Stderr = Console.OpenStandardError();
        Inherited[0] = Inherited[1] = Inherited[2] = true;
        return this;
    }

    /// <summary>Reads the guest's standard input from <paramref name="stream"/> (not disposed by the context).</summary>
    public WasiConfig WithStdin(Stream stream)
    {
        Stdin = stream ?? throw new ArgumentNullException(nameof(stream));
        Inherited[0] = false;
        return this;
    }

    /// <summary>Writes the guest's standard output to <paramref name="stream"/> (not disposed by the context).</summary>
    public WasiConfig WithStdout(Stream stream)
    {
        Stdout = stream ?? throw new ArgumentNullException(nameof(stream));
        Inherited[1] = false;
        return this;
    }

    /// <summary>Writes the guest's standard error to <paramref name="stream"/> (not disposed by the context).</summary>
    public WasiConfig WithStderr(Stream stream)
    {
        Stderr = stream ?? throw new ArgumentNullException(nameof(stream));
        Inherited[2] = false;
        return this;
    }

    /// <summary>Lets the guest reach <paramref name="hostPath"/> (and nothing outside it) as <paramref name="guestPath"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The host directory does not exist.</exception>
    public WasiConfig PreopenDirectory(string hostPath, string guestPath, WasiDirPermissions permissions = WasiDirPermissions.ReadWrite)
    {
        ArgumentNullException.ThrowIfNull(hostPath);
        ArgumentNullException.ThrowIfNull(guestPath);
        if (!Directory.Exists(hostPath)) throw new DirectoryNotFoundException($"cannot preopen '{hostPath}': no such directory");
        if (guestPath.Length == 0) throw new ArgumentException("the guest path is empty", nameof(guestPath));
        _preopens.Add(new WasiPreopen(Path.GetFullPath(hostPath), guestPath, permissions));
        return this;
    }

    /// <summary>Replaces the clocks (tests use this for deterministic time).</summary>
    public WasiConfig WithClock(WasiClock clock)
    {
        Clock = clock ?? throw new ArgumentNullException(nameof(clock));
        return this;
    }

    /// <summary>Replaces the random source (tests use this for deterministic bytes).</summary>
    public WasiConfig WithRandom(WasiRandomSource random)
    {
        Random = random ?? throw new ArgumentNullException(nameof(random));
        return this;
    }
}
