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

    public static (PipelineSpec Spec, PlanSweep Sweep, Shard Shard)? Read(PlanCommand.Settings settings, out List<string> problems)
    {
        problems = [];
        var problemList = problems;
        void Problem(string text) => problemList.Add(text);

        if (string.IsNullOrWhiteSpace(settings.Receiver)) Problem("--receiver: required: the pyroscope.receive_http to plan for");
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
        var receiver = spec.Components.OfType<ReceiverSpec>().FirstOrDefault(r => r.Name == settings.Receiver);
        if (connLimits is null && receiver is not null && settings.ConnLimit is null)
        {
            // Around the scenario's own limit: a quarter of it to twice it, in quarters.
            int current = receiver.Http.ConnLimit;
            if (current >= 4) connLimits = [.. Enumerable.Range(1, 8).Select(i => current * i / 4)];
            else if (current > 0) connLimits = [current];
            else Problem($"--conn-limit: required, since {receiver.Name} has no conn_limit in the scenario (0 = none) to sweep around");
        }
        if (problems.Count > 0 || connLimits is null)
        {
            // The sweep's own checks still name an unknown receiver or source, beside the option problems.
            if (settings.Receiver is not null) problems.AddRange(CapacityPlanner.Check(spec, Sweep(connLimits ?? [1])));
            return null;
        }
        var sweep = Sweep(connLimits);
        problems.AddRange(CapacityPlanner.Check(spec, sweep));
        return problems.Count > 0 ? null : (spec, sweep, shard);

        PlanSweep Sweep(IReadOnlyList<int> limits) => new()
        {
            Scenario = settings.File,
            ScenarioName = spec.Name,
            ScenarioSha256 = loaded.Value.Sha256,
            Receiver = settings.Receiver!,
            Grid = new PlanGrid(limits, fleet, replicas),
            Replications = settings.Replications,
            BaseSeed = settings.Seed ?? spec.Seed,
            Duration = duration ?? spec.Duration,
            Slos = slos,
            Headroom = headroom,
            PerInstanceCeiling = settings.PerInstanceCeiling,
        };
    }
}
