
namespace PipelineSim.Spec;

/// <summary>How the agents of a source reach their <c>pyroscope.write</c>.</summary>
public enum WriterSharing
{
    /// <summary>Every agent runs its own copy of the writer, with its own connection pools (an Alloy per host).</summary>
    PerAgent,

    /// <summary>All agents push through one writer and share its pools (many series through one Alloy).</summary>
    Shared,
}

/// <summary>When a source's agents push.</summary>
public enum ArrivalProcess
{
    /// <summary>Go's ticker: every push interval from the agent's phase, one push at a time, a tick that finds the
    /// previous push running skipped (Core's <c>AgentTicker</c>). What real agents do.</summary>
    Ticker,

    /// <summary>
    /// Exponential gaps of mean push interval per agent, so the fleet is a Poisson process of rate count / interval;
    /// an arrival pushes even while the agent's earlier pushes run (an open source, Core's <c>PoissonArrivals</c>).
    /// The textbook input of the queueing formulas, not an agent that exists.
    /// </summary>
    Poisson,
}

/// <summary>
/// A fleet of identical agents. With <see cref="ArrivalProcess.Ticker"/> arrivals (the default) each pushes every
/// <see cref="PushInterval"/>, one push at a time: the first tick that comes while the previous push still runs is
/// held and pushes when it ends, later ones are skipped (Go's ticker holds one tick), so no profiles are created for
/// them. With <see cref="ArrivalProcess.Poisson"/> the gaps
/// are exponential with the same mean and no arrival is skipped.
/// </summary>
public sealed record SourceSpec
{
    public required string Name { get; init; }

    public int Count { get; init; } = 1;

    /// <summary>
    /// The most agents a scenario may hold, over all its sources: 1,000,000, a hundred times the 10,000-agent benchmark
    /// fleet. The model keeps every agent (and with per-agent writers, its connection pool) in memory, so a count near
    /// <see cref="int.MaxValue"/> cannot run; it once failed half way with "Array dimensions exceeded supported range."
    /// </summary>
    public const int MaxAgents = 1_000_000;

    /// <summary>The most series in one push: 10,000. Each push draws and carries one size per series.</summary>
    public const int MaxProfilesPerPush = 10_000;

    /// <summary>pyroscope.ebpf's default collect_interval.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(15);

    public ArrivalProcess Arrivals { get; init; } = ArrivalProcess.Ticker;

    /// <summary>Each agent's first push comes at a uniform offset in [0, PhaseJitter); null means the whole interval.</summary>
    public TimeSpan? PhaseJitter { get; init; }

    /// <summary>Series in one push, one profile each; a receiver forwards every series as its own downstream push.</summary>
    public int ProfilesPerPush { get; init; } = 1;

    /// <summary>Compressed size of one profile in bytes (what Alloy's byte counters sum); a draw is held to
    /// [1 byte, <see cref="MaxProfileBytes"/>].</summary>
    public IDistribution ProfileBytes { get; init; } = Distributions.Constant(64 * 1024);

    /// <summary>
    /// The largest profile the model draws: 1 GiB, far past any real profile (KiB to a few MiB), and small enough that
    /// the byte counters of billions of pushes stay within a long. Scenario files may not ask for more; a heavy tail
    /// (a large lognormal sigma) is cut there.
    /// </summary>
    public const long MaxProfileBytes = 1L << 30;

    /// <summary>A drawn size as the model and the live agents both use it: whole bytes, at least one, at most
    /// <see cref="MaxProfileBytes"/>.</summary>
    public static long ToProfileBytes(double drawn) => Math.Clamp((long)Math.Round(drawn), 1, MaxProfileBytes);

    /// <summary>The <c>pyroscope.write</c> component the agents push to.</summary>
    public required string To { get; init; }

    public WriterSharing Writer { get; init; } = WriterSharing.PerAgent;

    /// <summary>
    /// The deadline of the caller's context for each push, in seconds after the push starts (pyroscope.ebpf: its
    /// collect interval, a constant); null means none, as pyroscope.scrape and pyroscope.java push with
    /// <c>context.Background()</c>. A distribution other than a constant draws one deadline per push from the
    /// source's <c>source/NAME/push_timeout</c> stream: exponential patience, as in Erlang A.
    /// </summary>
    public IDistribution? PushTimeout { get; init; }

    /// <summary>The push timeout when it is the same for every push (a constant); null when there is none or it is drawn.</summary>
    public TimeSpan? FixedPushTimeout => PushTimeout is { } timeout && Distributions.IsConstant(timeout, out double seconds)
        ? ToPushTimeout(seconds)
        : null;

    /// <summary>
    /// One push's timeout from a draw of <see cref="PushTimeout"/> in seconds: rounded to whole ticks (which gives a
    /// duration written in the scenario back exactly), never negative.
    /// </summary>
    public static TimeSpan ToPushTimeout(double seconds) =>
        seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromTicks(Math.Max(0, (long)Math.Round(seconds * TimeSpan.TicksPerSecond)));

    /// <summary>When the agents start pushing.</summary>
    public TimeSpan Start { get; init; } = TimeSpan.Zero;

    /// <summary>When the agents stop creating pushes; null means the end of the run.</summary>
    public TimeSpan? Stop { get; init; }

    /// <summary>
    /// Checks every value once, for the simulator and the live agents alike; paths are relative to the source
    /// (<c>push_interval</c>), one problem each. Whether <see cref="To"/> names a writer is the topology's question.
    /// </summary>
    public IReadOnlyList<SpecProblem> Validate()
    {
        var problems = new List<SpecProblem>();
        void Problem(string path, string message) => problems.Add(new SpecProblem(path, message));
        if (Count < 0) Problem("count", "must not be negative");
        if (Count > MaxAgents) Problem("count", $"must be at most {MaxAgents}, found {Count}: the model keeps every agent in memory");
        if (PushInterval <= TimeSpan.Zero) Problem("push_interval", "must be positive");
        if (PhaseJitter < TimeSpan.Zero) Problem("phase_jitter", "must not be negative");
        if (ProfilesPerPush < 1) Problem("profiles_per_push", $"must be at least 1, found {ProfilesPerPush}");
        if (ProfilesPerPush > MaxProfilesPerPush)
            Problem("profiles_per_push", $"must be at most {MaxProfilesPerPush}, found {ProfilesPerPush}: each push carries one size per series");
        if (PushTimeout is { } timeout && !(timeout.Mean > 0)) Problem("push_timeout", "must be positive (a distribution: its mean)");
        if (Start < TimeSpan.Zero) Problem("start", "must not be negative");
        if (Stop <= Start) Problem("stop", "must be later than start");
        return problems;
    }
}
