using System.Text;

namespace Sharptime.Tests.Robustness;

/// <summary>Runs seeded mutation cases on a worker thread with a deadline, collecting unexpected exceptions.</summary>
internal static class MutationHarness
{
    public sealed record Failure(int Case, string Mutation, Exception Exception);

    /// <summary>How the cases ended; unexpected exceptions are in <see cref="Failures"/>.</summary>
    public sealed class Outcome
    {
        public List<Failure> Failures { get; } = [];
        public int Accepted;
        public int Malformed;
        public int Invalid;

        public override string ToString() => $"{Accepted} accepted, {Malformed} malformed, {Invalid} invalid, {Failures.Count} unexpected";
    }

    public static Outcome Run(int cases, TimeSpan deadline, Func<Random, int, (string Description, Action Act)> makeCase, int seed)
    {
        var outcome = new Outcome();
        var failures = outcome.Failures;
        int current = -1;
        string currentDescription = "";
        var worker = new Thread(() =>
        {
            for (int i = 0; i < cases; i++)
            {
                // One Random per case so any case reproduces from (seed, index) alone.
                var (description, act) = makeCase(new Random(HashCode.Combine(seed, i)), i);
                Volatile.Write(ref current, i);
                currentDescription = description;
                try
                {
                    act();
                    outcome.Accepted++;
                }
                catch (MalformedModuleException)
                {
                    outcome.Malformed++;
                }
                catch (InvalidModuleException)
                {
                    outcome.Invalid++;
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(new Failure(i, description, e));
                }
            }
        }, maxStackSize: 16 * 1024 * 1024) { IsBackground = true };
        worker.Start();
        if (!worker.Join(deadline))
        {
            throw new TimeoutException($"mutation case {Volatile.Read(ref current)} (seed {seed}, mutation {currentDescription}) did not finish within {deadline.TotalSeconds}s in total: possible hang");
        }
        return outcome;
    }

    public static string Describe(List<Failure> failures, int cases, int seed)
    {
        var text = new StringBuilder($"{failures.Count} of {cases} cases (seed {seed}) threw an unexpected exception:\n");
        foreach (var f in failures.Take(10)) text.Append($"  case {f.Case} [{f.Mutation}]: {f.Exception.GetType().Name}: {f.Exception.Message}\n{f.Exception.StackTrace}\n");
        return text.ToString();
    }
}
