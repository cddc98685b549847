using System.Globalization;
using PipelineSim.Analysis.Planning;
using PipelineSim.Core.Time;
using PipelineSim.Spec;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// The <c>plan</c> command line read into a sweep: every option checked, every problem collected (one line each,
/// naming the option), then the scenario loaded and the sweep checked against it.
/// </summary>
internal static class PlanRequest
{
    private const string DefaultSlo = "delivered>=99.9%";

    /// <returns>
    /// The scenario for each setting of the varied knobs (one when none is varied), the sweep, the shard, the timeout
    /// chain when asked for, and the scenario as its file has it.
    /// </returns>
    public static (IReadOnlyList<PipelineSpec> Settings, PlanSweep Sweep, Shard Shard, TimeoutChain? Chain, PipelineSpec AsIs)? Read(
        PlanCommand.Settings settings, out List<string> problems)
    {
        problems = [];
        var problemList = problems;
        void Problem(string text) => problemList.Add(text);

        var knobs = new List<KnobSweep>();
        foreach (string text in settings.Vary)
        {
            if (!KnobSweep.TryParse(text, out var knob, out string error)) Problem($"--vary: {error}");
            else if (knobs.Any(k => k.Path == knob.Path)) Problem($"--vary: {knob.Path} is varied twice");
            else knobs.Add(knob);
        }
        if (knobs.Count > 0 && (long)knobs.Aggregate(1L, (n, k) => n * k.Values.Count) > IntegerGrid.MaxValues)
            Problem($"--vary: the knobs cross into more than {IntegerGrid.MaxValues} settings; sweep fewer values");
        if (LiveCommandSupport.CheckOutputDirectory("--out", settings.Out) is { } badOut) Problem(badOut.Message ?? "--out: not a directory");

        IReadOnlyList<int>? connLimits = null;
        if (settings.ConnLimit is not null)
        {
            if (IntegerGrid.TryParse(settings.ConnLimit, 1, out var values, out string error)) connLimits = values;
            else Problem($"--conn-limit: {error}");
        }

        FleetSweep? fleet = null;
        if (settings.Fleet is not null)
        {
            int equals = settings.Fleet.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) Problem($"--fleet: '{settings.Fleet}' is not SOURCE=GRID such as agents=1000:5000:1000");
            else if (IntegerGrid.TryParse(settings.Fleet[(equals + 1)..], 1, out var sizes, out string error)) fleet = new FleetSweep(settings.Fleet[..equals].Trim(), sizes);
            else Problem($"--fleet: {error}");
        }

        IReadOnlyList<int> replicas = [1];
        if (settings.Replicas is not null)
        {
            if (IntegerGrid.TryParse(settings.Replicas, 1, out var values, out string error)) replicas = values;
            else Problem($"--replicas: {error}");
        }

        if (settings.Replications is < 1 or > 1000) Problem($"--replications: {settings.Replications} is not between 1 and 1000");

        var slos = new List<Slo>();
        foreach (string text in settings.Slo.Length == 0 ? [DefaultSlo] : settings.Slo)
        {
            if (Slo.TryParse(text, out var slo, out string error)) slos.Add(slo);
            else Problem($"--slo: {error}");
        }

        double headroom = PlanSweep.DefaultHeadroom;
        if (settings.Headroom is not null
            && (!double.TryParse(settings.Headroom, NumberStyles.Float, CultureInfo.InvariantCulture, out headroom) || !(headroom >= 1) || double.IsInfinity(headroom)))
        {
            Problem($"--headroom: '{settings.Headroom}' is not a factor of at least 1, such as 1.5");
        }

        if (settings.PerInstanceCeiling is < 1) Problem($"--per-instance-ceiling: {settings.PerInstanceCeiling} is not at least 1");
        if (settings.Parallel is < 1) Problem($"--parallel: {settings.Parallel} is not at least 1");

        TimeSpan? duration = null;
        if (settings.Duration is not null)
        {
            if (!GoDuration.TryParse(settings.Duration, out var value, out string error)) Problem($"--duration: {error}");
            else if (value <= TimeSpan.Zero) Problem($"--duration: {settings.Duration} is not positive");
            else duration = value;
        }

        if (settings.TimeoutChain && settings.Shard is not null) Problem("--timeout-chain: its section needs the whole sweep; run it without --shard");
        if (settings.Search is not (null or "grid" or "bisect")) Problem($"--search: '{settings.Search}' is not grid or bisect");
        if (settings.Search == "bisect" && settings.Shard is not null) Problem("--search bisect: runs as one process, so it cannot be sharded; shard a grid instead");

        var shard = Shard.Whole;
        if (settings.Shard is not null && !Shard.TryParse(settings.Shard, out shard, out string? shardError)) Problem($"--shard: {shardError}");

        var loaded = PlanScenario.Load(settings.File);
        if (!loaded.IsOk)
        {
            problems.AddRange(loaded.Error.Select(p => p.ToString()));
            return null;
        }
        var scenario = loaded.Value.Scenario;
        var spec = scenario.Pipeline;
        // A claim names components and metrics, so it is checked against the scenario as its expect: lines are.
        for (int i = 0; i < slos.Count; i++)
        {
            if (slos[i].Bind(scenario.Kinds, out string claimError) is { } bound) slos[i] = bound;
            else
            {
                Problem($"--slo: {claimError}");
                slos.RemoveAt(i--); // said once, here: the sweep's own checks would only add that it is unbound
            }
        }
        TimeoutChain? chain = null;
        if (settings.TimeoutChain)
        {
            chain = TimeoutChain.Find(spec, out string reason);
            if (chain is null) Problem($"--timeout-chain: {reason}");
            else AddGuideOptions(knobs, chain, spec);
        }
        if (knobs.Count > 0 && settings.PerInstanceCeiling is not null)
            Problem("--per-instance-ceiling: advises replicas for one setting; it cannot be combined with --vary or --timeout-chain");
        // After the chain's options, so a preference may name a knob --timeout-chain added.
        foreach (string text in settings.Prefer)
        {
            int equals = text.LastIndexOf('=');
            string name = equals < 0 ? text : text[..equals].Trim();
            string way = equals < 0 ? "" : text[(equals + 1)..].Trim();
            int index = knobs.FindIndex(k => k.Path == name || k.ShortName == name);
            if (way is not ("low" or "high")) Problem($"--prefer: '{text}' is not KNOB=low or KNOB=high");
            else if (index < 0) Problem($"--prefer: '{name}' is not a knob given with --vary ({(knobs.Count == 0 ? "none is" : string.Join(", ", knobs.Select(k => k.ShortName)))})");
            else knobs[index] = knobs[index] with { Preference = way == "low" ? KnobPreference.Low : KnobPreference.High };
        }
        var receivers = spec.Components.OfType<ReceiverSpec>().ToList();
        string? receiverName = settings.Receiver;
        if (string.IsNullOrWhiteSpace(receiverName))
        {
            // One receiver leaves no doubt which one is meant; with several the user must say.
            if (receivers.Count == 1) receiverName = receivers[0].Name;
            else Problem($"--receiver: required, since the scenario has {(receivers.Count == 0 ? "no pyroscope.receive_http" : $"several: {string.Join(", ", receivers.Select(r => r.Name))}")}");
        }
        var receiver = receivers.FirstOrDefault(r => r.Name == receiverName);
        if (connLimits is null && receiver is not null && settings.ConnLimit is null)
        {
            // Around the scenario's own limit: a quarter of it to twice it, in quarters; with knobs varied, the
            // scenario's own limit alone, so the question stays the knobs' (ask for more with --conn-limit).
            int current = receiver.Http.ConnLimit;
            if (current >= 4 && knobs.Count == 0) connLimits = [.. Enumerable.Range(1, 8).Select(i => current * i / 4)];
            else if (current > 0) connLimits = [current];
            else Problem($"--conn-limit: required, since {receiver.Name} has no conn_limit in the scenario (0 = none) to sweep around");
        }
        if (problems.Count > 0 || connLimits is null)
        {
            // The sweep's own checks still name an unknown receiver or source, beside the option problems.
            if (receiverName is not null) problems.AddRange(CapacityPlanner.Check(spec, Sweep(connLimits ?? [1])));
            return null;
        }
        var sweep = Sweep(connLimits);
        problems.AddRange(CapacityPlanner.Check(spec, sweep));

        // Each setting of the knobs read from the file's own text: a value the scenario cannot take is a problem
        // now, with its path and the file's position, rather than a failed run later.
        var specs = new List<PipelineSpec>();
        for (int setting = 0; setting < sweep.Grid.SettingCount && problems.Count == 0; setting++)
        {
            var variant = loaded.Value.With(sweep.Grid.Setting(setting));
            if (variant.IsOk) specs.Add(variant.Value.Pipeline);
            else problems.AddRange(variant.Error.Select(p => p.ToString()).Distinct(StringComparer.Ordinal));
        }
        return problems.Count > 0 ? null : (specs, sweep, shard, chain, spec);

        PlanSweep Sweep(IReadOnlyList<int> limits) => new()
        {
            Scenario = settings.File,
            ScenarioName = spec.Name,
            ScenarioSha256 = loaded.Value.Sha256,
            Receiver = receiverName!,
            Grid = new PlanGrid(limits, fleet, replicas) { Knobs = knobs },
            Replications = settings.Replications,
            BaseSeed = settings.Seed ?? spec.Seed,
            Duration = duration ?? spec.Duration,
            Slos = slos,
            Headroom = headroom,
            PerInstanceCeiling = settings.PerInstanceCeiling,
        };
    }

    /// <summary>
    /// The guide's options as knob values: the upstream timeout as it is and 30s, the downstream one as it is and 3s,
    /// added to whatever the user varies on those paths.
    /// </summary>
    private static void AddGuideOptions(List<KnobSweep> knobs, TimeoutChain chain, PipelineSpec spec)
    {
        Add(chain.UpstreamTimeoutPath, chain.UpstreamTimeout(spec), TimeoutChain.GuideUpstreamTimeout);
        Add(chain.DownstreamTimeoutPath, chain.DownstreamOptions(spec).RemoteTimeout, TimeoutChain.GuideDownstreamTimeout);

        void Add(string path, TimeSpan current, TimeSpan guide)
        {
            int index = knobs.FindIndex(k => k.Path == path);
            var values = (index < 0 ? [] : knobs[index].Values).Concat([GoDuration.Format(current), GoDuration.Format(guide)]);
            // One spelling per duration (30s and 0.5m are one value), ascending.
            var distinct = values.GroupBy(KnobSweep.Magnitude).OrderBy(g => g.Key).Select(g => g.First()).ToList();
            if (index < 0) knobs.Add(new KnobSweep(path, distinct));
            else knobs[index] = knobs[index] with { Values = distinct };
        }
    }
}
