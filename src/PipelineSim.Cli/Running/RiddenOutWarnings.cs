using System.Collections.Concurrent;

namespace PipelineSim.Cli.Running;

/// <summary>
/// What a live run's components rode out (a server backing off at the descriptor limit, as Go logs
/// <c>accept: too many open files; retrying in 5ms</c>), held while the progress bar owns the terminal and written
/// afterwards, each distinct message once with how often it came, in the order first seen.
/// </summary>
internal sealed class RiddenOutWarnings
{
    private readonly ConcurrentDictionary<string, Seen> seen = new();
    private long order;

    /// <summary>Called from any thread while the run lasts.</summary>
    public void Add(string message) =>
        seen.AddOrUpdate(message, _ => new Seen(Interlocked.Increment(ref order), 1), (_, s) => s with { Count = s.Count + 1 });

    public void WriteTo(TextWriter errors)
    {
        foreach (var (message, s) in seen.OrderBy(pair => pair.Value.Order))
            errors.WriteLine(s.Count == 1 ? $"warning: {message}" : $"warning: {message} ({s.Count} times)");
    }

    private readonly record struct Seen(long Order, long Count);
}
