namespace PipelineSim.Scenarios;

/// <summary>"Did you mean" hints: the candidate closest to a misspelt name, by edit distance.</summary>
internal static class Suggestions
{
    /// <summary>The closest candidate when it is near enough to be a typo (a third of its length, at least one
    /// edit), else null. Case is ignored when measuring, so <c>Conn_Limit</c> finds <c>conn_limit</c>.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance && distance <= Math.Max(1, candidate.Length / 3))
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary><c> (did you mean "x"?)</c>, or nothing when no candidate is close.</summary>
    public static string DidYouMean(string given, IEnumerable<string> candidates) =>
        Closest(given, candidates) is { } match ? $" (did you mean \"{match}\"?)" : "";

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
