using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Retry;

/// <summary>
/// How many attempts of one endpoint fit inside a parent deadline, found by running Core's <see cref="PushLoop"/>
/// (Alloy's retry loop with dskit's backoff) on a clock of its own, with every backoff wait drawn at one end of its
/// range. Nothing here re-derives the retry rules: it only chooses how long each attempt takes.
/// </summary>
public static class AttemptBudget
{
    private const int MaxAttemptsCounted = 1000;

    /// <summary>
    /// Attempts that get their whole <c>remote_timeout</c> before the parent deadline when every attempt hangs until
    /// its deadline (a silently dead pooled connection) and every backoff wait is as long as dskit can draw.
    /// One means no retry can happen in the worst case.
    /// </summary>
    public static int FullAttemptsWhenHanging(WriteEndpointOptions endpoint, TimeSpan parent) =>
        Run(endpoint, parent, hang: true, longestWaits: true).Full;

    /// <summary>Attempts that can start before the parent deadline at best: each fails at once, waits are shortest.</summary>
    public static int MostAttemptsStarted(WriteEndpointOptions endpoint, TimeSpan parent) =>
        Run(endpoint, parent, hang: false, longestWaits: false).Started;

    private static (int Started, int Full) Run(WriteEndpointOptions endpoint, TimeSpan parent, bool hang, bool longestWaits)
    {
        var now = Instant.Zero;
        var loop = new PushLoop(endpoint, Deadline.After(now, parent), now, new EdgeRandom(longestWaits));
        var step = loop.Next(now);
        int full = 0;
        while (step.Kind != PushStepKind.Done && loop.Attempts <= MaxAttemptsCounted)
        {
            if (step.Kind == PushStepKind.Attempt)
            {
                var deadline = step.AttemptDeadline.When;
                if (deadline - now >= endpoint.RemoteTimeout) full++;
                now = hang ? deadline : now;
                step = loop.OnAttemptCompleted(now, hang ? ConnectError.DeadlineExceeded : new ConnectError(ConnectCode.Unavailable, "refused"));
            }
            else
            {
                now = step.SleepUntil;
                step = loop.Next(now);
            }
        }
        return (loop.Attempts, full);
    }

    /// <summary>The smallest upstream deadline, in whole seconds, that gives <paramref name="downstream"/> two full
    /// attempts (one retry) when attempts hang: the guide's first fix.</summary>
    public static TimeSpan UpstreamForOneRetry(WriteEndpointOptions downstream)
    {
        for (int seconds = 1; seconds <= 3600; seconds++)
        {
            var candidate = TimeSpan.FromSeconds(seconds);
            if (FullAttemptsWhenHanging(downstream, candidate) >= 2) return candidate;
        }
        return TimeSpan.FromHours(1);
    }

    /// <summary>The largest downstream <c>remote_timeout</c>, in steps of 100ms, that gives two full attempts inside
    /// <paramref name="upstream"/>: the guide's second fix. Null when even 100ms does not fit.</summary>
    public static TimeSpan? DownstreamForOneRetry(WriteEndpointOptions downstream, TimeSpan upstream)
    {
        for (long tenths = (long)(upstream.TotalMilliseconds / 100); tenths >= 1; tenths--)
        {
            var candidate = downstream with { RemoteTimeout = TimeSpan.FromMilliseconds(tenths * 100) };
            if (FullAttemptsWhenHanging(candidate, upstream) >= 2) return candidate.RemoteTimeout;
        }
        return null;
    }

    /// <summary>Draws every backoff wait at the top (just under the bound) or the bottom of dskit's range.</summary>
    private sealed class EdgeRandom(bool longest) : Random
    {
        public override long NextInt64(long maxValue) => longest ? Math.Max(0, maxValue - 1) : 0;
    }
}
