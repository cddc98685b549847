using System.ComponentModel;
using System.Globalization;
using PipelineSim.Analysis.Planning;
using PipelineSim.Cli.Rendering;
using PipelineSim.Core.Time;
using PipelineSim.Spec;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// <c>pipelinesim plan FILE --receiver NAME</c>: sweeps the receiver's conn_limit (and optionally a fleet size or a
/// replica count) with several replications per point, judges each point against the SLOs with 95% intervals, and
/// recommends a conn_limit with headroom beside the queueing estimate. With <c>--shard i/n</c> it runs one slice and
/// writes partial results for <c>plan merge</c>. Exit codes: 0 a recommendation (or a shard written), 1 no swept
/// conn_limit meets the SLOs, 2 bad input.
/// </summary>
internal sealed class PlanCommand : Command<PlanCommand.Settings>
{
    public const int NoRecommendation = 1;

    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<FILE>")]
        [Description("The scenario YAML file to plan for.")]
        public string File { get; init; } = "";

        [CommandOption("--receiver <NAME>")]
        [Description("The pyroscope.receive_http whose conn_limit to plan (default: the scenario's only one).")]
        public string? Receiver { get; init; }

        [CommandOption("--vary <PATH=GRID>")]
        [Description("Also sweep any number or duration of the scenario, by the path error messages print, e.g. components.w1.endpoints[0].remote_timeout=10s:40s:5s or components.w2.endpoints[0].max_backoff_retries=1,3,10. Repeatable; crossed into a grid.")]
        public string[] Vary { get; init; } = [];

        [CommandOption("--prefer <KNOB=low|high>")]
        [Description("Which way a varied knob is cheaper (e.g. w1.remote_timeout=low); the plan recommends the cheapest setting that meets every SLO. Repeatable; earlier ones decide first.")]
        public string[] Prefer { get; init; } = [];

        [CommandOption("--conn-limit <GRID>")]
        [Description("conn_limit values: start:stop:step or a list (default: 1/4 to 2 times the scenario's, in 8 steps).")]
        public string? ConnLimit { get; init; }

        [CommandOption("--fleet <SOURCE=GRID>")]
        [Description("Also sweep a source's agent count, e.g. agents=1000:5000:1000.")]
        public string? Fleet { get; init; }

        [CommandOption("--replicas <GRID>")]
        [Description("Also sweep copies of the receiver behind an L4 least-connections balancer, e.g. 1,2,3.")]
        public string? Replicas { get; init; }

        [CommandOption("--replications <N>")]
        [Description("Runs per point, each with its own seed derived from the base seed.")]
        [DefaultValue(5)]
        public int Replications { get; init; } = 5;

        [CommandOption("--slo <SLO>")]
        [Description("An objective to meet, repeatable: delivered>=99.9%, p50/p90/p95/p99<2s, failed<=0, or a claim in the expect: language such as \"w2.pushes.failed == 0\" (default delivered>=99.9%).")]
        public string[] Slo { get; init; } = [];

        [CommandOption("--headroom <FACTOR>")]
        [Description("Multiply the smallest sufficient conn_limit by this (default 1.5).")]
        public string? Headroom { get; init; }

        [CommandOption("--per-instance-ceiling <N>")]
        [Description("The most connections one receiver instance may have: advise replicas.")]
        public int? PerInstanceCeiling { get; init; }

        [CommandOption("--duration <DURATION>")]
        [Description("Simulated time per run, Go syntax (default: the scenario's).")]
        public string? Duration { get; init; }

        [CommandOption("--seed <N>")]
        [TypeConverter(typeof(SeedConverter))]
        [Description("Base seed of the replications' seeds (default: the scenario's).")]
        public ulong? Seed { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Where to write the plan (default: runs/<scenario name>-plan).")]
        public string? Out { get; init; }

        [CommandOption("--shard <I/N>")]
        [Description("Run only the cells with index % N == I and write partial results for plan merge.")]
        public string? Shard { get; init; }

        [CommandOption("--timeout-chain")]
        [Description("Plan the guide's timeout chain (writer -> receive_http -> writer): adds the guide's options A (upstream remote_timeout 30s) and B (downstream 3s) to --vary, and shows each setting's deadline budget beside its runs.")]
        public bool TimeoutChain { get; init; }

        [CommandOption("--search <MODE>")]
        [Description("grid (default): run every point; bisect: find each group's smallest sufficient conn_limit by bisection over --conn-limit, assuming more conn_limit never hurts (far fewer runs; not with --shard).")]
        public string? Search { get; init; }

        [CommandOption("--parallel <N>")]
        [Description("Runs at once (default: the number of cores).")]
        public int? Parallel { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken) =>
        Run(settings, AnsiConsole.Console, Console.Error, showProgress: !Console.IsOutputRedirected && !Console.IsErrorRedirected, cancellationToken);

    internal static int Run(Settings settings, IAnsiConsole output, TextWriter errors, bool showProgress, CancellationToken cancellation = default)
    {
        var request = PlanRequest.Read(settings, out var problems);
        if (request is null)
        {
            foreach (string problem in problems) errors.WriteLine($"pipelinesim plan: {problem}");
            return PipelineSimApp.UsageError;
        }

        var (settingSpecs, sweep, shard, chain, spec) = request.Value;
        var options = new PlanRunOptions
        {
            Shard = shard,
            Parallelism = settings.Parallel ?? Environment.ProcessorCount,
            Cancellation = cancellation,
        };
        string directory = settings.Out ?? Path.Combine("runs", sweep.ScenarioName + "-plan");
        int runs = sweep.Cells().Count(c => shard.Includes(c.Index));
        output.MarkupLineInterpolated(
            $"planning [bold]{sweep.ScenarioName}[/], receiver [bold]{sweep.Receiver}[/]: {runs} runs of {GoDuration.Format(sweep.Duration)} ({sweep.Grid.PointCount} points x {sweep.Replications} replications{(shard.IsWhole ? "" : $", shard {shard}")}), {options.Parallelism} at a time");

        IReadOnlyList<CellResult> results;
        try
        {
            if (settings.Search == "bisect")
            {
                var outcome = ProgressBar.Run(output, showProgress, "searching by bisection",
                    progress => BisectionSearch.Run(settingSpecs, sweep, options with { Progress = progress }));
                sweep = outcome.Sweep;
                results = outcome.Runs;
                output.MarkupLineInterpolated(
                    $"bisection: {outcome.RunsTaken} runs instead of {outcome.FullGridRuns} for the full grid ({(double)outcome.FullGridRuns / outcome.RunsTaken:0.#}x fewer); conn_limits run: {IntegerGrid.Format(sweep.Grid.ConnLimits)}");
            }
            else
            {
                results = ProgressBar.Run(output, showProgress, string.Create(CultureInfo.InvariantCulture, $"simulating {runs} runs"),
                    progress => CapacityPlanner.Run(settingSpecs, sweep, options with { Progress = progress }));
            }
        }
        catch (SpecException e)
        {
            foreach (var problem in e.Problems) errors.WriteLine($"{settings.File}: {problem}");
            return PipelineSimApp.UsageError;
        }

        try
        {
            if (!shard.IsWhole)
            {
                var files = PlanFiles.WriteShard(directory, sweep, CapacityPlanner.Facts(spec, sweep.Receiver), shard, results);
                output.MarkupLineInterpolated($"shard {shard}: {results.Count} runs written to [bold]{files[0]}[/]");
                output.MarkupLineInterpolated($"when every shard is done: pipelinesim plan merge DIR...");
                return 0;
            }
            var plan = PlanEvaluator.Evaluate(sweep, CapacityPlanner.Facts(spec, sweep.Receiver), results);
            if (chain is not null) plan = plan with { Chain = ChainReport.Build(chain, plan, spec, settingSpecs) };
            return PlanMergeCommand.Report(plan, results, directory, output, errors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"pipelinesim plan: cannot write results to {directory}: {e.Message}");
            return PipelineSimApp.UsageError;
        }
    }
}
