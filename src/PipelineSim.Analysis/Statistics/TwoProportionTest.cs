using MathNet.Numerics;

namespace PipelineSim.Analysis.Statistics;

/// <summary>
/// Whether two counts out of two totals can be the same proportion: Fisher's exact test, two-sided. Exact at any
/// size, so it stays sound for the small counts a short run gives (0 of 11 against 3 of 11), where the normal
/// approximation of the z-test is not.
/// </summary>
public static class TwoProportionTest
{
    /// <summary>
    /// The two-sided p-value of <paramref name="x1"/> of <paramref name="n1"/> against <paramref name="x2"/> of
    /// <paramref name="n2"/>: given both totals and x1 + x2, the probability under one common proportion of a table at
    /// most as likely as the one seen (the hypergeometric distribution; R's <c>fisher.test</c> sums the same tables,
    /// with the same relative slack of 1e-7 for ties). 1 when a side is empty or nothing (or everything) was counted.
    /// </summary>
    public static double PValue(long x1, long n1, long x2, long n2)
    {
        Check(x1, n1, nameof(x1));
        Check(x2, n2, nameof(x2));
        long k = x1 + x2, n = n1 + n2;
        if (n1 == 0 || n2 == 0 || k == 0 || k == n) return 1;

        double logDenominator = LogChoose(n, k);
        double LogProbability(long x) => LogChoose(n1, x) + LogChoose(n2, k - x) - logDenominator;
        double observed = LogProbability(x1);
        double sum = 0;
        for (long x = Math.Max(0, k - n2), last = Math.Min(n1, k); x <= last; x++)
        {
            double log = LogProbability(x);
            if (log <= observed + 1e-7) sum += Math.Exp(log);
        }
        return Math.Min(1, sum);
    }

    private static double LogChoose(long n, long k) =>
        SpecialFunctions.FactorialLn((int)n) - SpecialFunctions.FactorialLn((int)k) - SpecialFunctions.FactorialLn((int)(n - k));

    private static void Check(long x, long n, string name)
    {
        if (n < 0 || n > int.MaxValue) throw new ArgumentOutOfRangeException(name, n, "A total must be in [0, 2^31).");
        if (x < 0 || x > n) throw new ArgumentOutOfRangeException(name, x, $"A count must be in [0, {n}].");
    }
}
