using System.Text;

namespace Sharptime.Tests.Robustness;

/// <summary>Runs seeded mutation cases on a worker thread with a deadline, collecting unexpected exceptions.</summary>
internal static class MutationHarness
{
    public sealed record Failure(int Case, string Mutation, Exception Exception);

    public static List<Failure> Run(int cases, TimeSpan deadline, Func<Random, int, (string Description, Action Act)> makeCase, int seed)
    {
        var failures = new List<Failure>();
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
                }
                catch (Exception e) when (e is MalformedModuleException or InvalidModuleException)
                {
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
        return failures;
    }

    public static string Describe(List<Failure> failures, int cases, int seed)
    {
        var text = new StringBuilder($"{failures.Count} of {cases} cases (seed {seed}) threw an unexpected exception:\n");
        foreach (var f in failures.Take(10)) text.Append($"  case {f.Case} [{f.Mutation}]: {f.Exception.GetType().Name}: {f.Exception.Message}\n{f.Exception.StackTrace}\n");
        return text.ToString();
    }
}
