using System.Text;
using System.Text.Json;
using PipelineSim.Analysis.Plots;
using PipelineSim.Analysis.Records;
using ScottPlot;

namespace PipelineSim.Analysis.Planning;

/// <summary>A sweep's runs gathered back from its shards' partial files.</summary>
public sealed record MergedSweep(PlanSweep Sweep, ReceiverFacts Facts, IReadOnlyList<CellResult> Runs);

/// <summary>
/// The files of a plan in its output directory. A whole sweep writes <c>plan.csv</c> (one row per run),
/// <c>plan-summary.csv</c> (one row per point), <c>plan.json</c>, <c>plan.txt</c> and a plot per SLO
/// (<c>plan_&lt;slo&gt;.png</c> and <c>.svg</c>); a shard writes <c>plan.shard-i-of-n.csv</c> (its rows of plan.csv) and
/// <c>plan.shard-i-of-n.json</c> (the sweep it belongs to), which <see cref="ReadShards"/> puts back together. Every file
/// is written atomically; the same results give the same bytes.
/// </summary>
public static class PlanFiles
{
    public const string Runs = "plan.csv";
    public const string Summary = "plan-summary.csv";
    public const string Json = "plan.json";
    public const string Text = "plan.txt";
    private const string ShardPattern = "plan.shard-*-of-*.json";

    public static IReadOnlyList<string> WriteShard(string directory, PlanSweep sweep, ReceiverFacts facts, Shard shard, IReadOnlyList<CellResult> runs)
    {
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, shard.FileStem + ".csv"), manifest = Path.Combine(directory, shard.FileStem + ".json");
        PlanCsv.WriteRuns(csv, runs);
        // The manifest last: a shard whose manifest exists has finished writing its rows, whose digest it carries.
        PlanJson.WriteManifest(manifest, sweep, facts, shard, Sha256Of(csv));
        return [csv, manifest];
    }

    public static IReadOnlyList<string> WriteResult(string directory, PlanResult plan, IReadOnlyList<CellResult> runs, PlotOptions? plots = null)
    {
        plots ??= new PlotOptions { Formats = PlotFormats.Both };
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        string Add(string name)
        {
            string path = Path.Combine(directory, name);
            files.Add(path);
            return path;
        }

        PlanCsv.WriteRuns(Add(Runs), runs);
        PlanCsv.WriteSummary(Add(Summary), plan);
        PlanJson.WriteResult(Add(Json), plan);
        AtomicFile.Write(Add(Text), Encoding.UTF8.GetBytes(PlanText.Render(plan)));

        foreach (string old in Directory.EnumerateFiles(directory, "plan_*.png").Concat(Directory.EnumerateFiles(directory, "plan_*.svg")))
            File.Delete(old);
        // Against conn_limit when it was swept; by setting when knobs were (both when both were).
        var grid = plan.Sweep.Grid;
        if (grid.ConnLimits.Count > 1 || grid.Knobs.Count == 0)
            Draw(PlanCharts.FileStems(plan.Sweep.Slos), i => PlanCharts.SloAgainstLimit(plan, i));
        if (grid.Knobs.Count > 0)
            Draw(SettingCharts.FileStems(plan.Sweep.Slos), i => SettingCharts.SloBySetting(plan, i));
        return files;

        void Draw(IReadOnlyList<string> stems, Func<int, ScottPlot.Plot> chart)
        {
            for (int i = 0; i < stems.Count; i++)
            {
                using var plot = chart(i);
                if (plots.Formats.HasFlag(PlotFormats.Png))
                    AtomicFile.Write(Add(stems[i] + ".png"), plot.GetImageBytes(plots.Width, plots.Height, ImageFormat.Png));
                if (plots.Formats.HasFlag(PlotFormats.Svg))
                    AtomicFile.Write(Add(stems[i] + ".svg"), Encoding.UTF8.GetBytes(RunPlotter.StableSvg(plot.GetSvgXml(plots.Width, plots.Height))));
            }
        }
    }

    /// <summary>
    /// Reads every shard's partial results from <paramref name="directories"/> and checks they make one whole sweep:
    /// the same sweep in every manifest (scenario hash, receiver, grids, seed, replications, duration, SLOs), the same
    /// shard count, each shard once, and each shard's file holding exactly its cells. Problems, one line each, come
    /// as a <see cref="PlanException"/>.
    /// </summary>
    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    public static MergedSweep ReadShards(IReadOnlyList<string> directories)
    {
        var problems = new List<string>();
        var manifests = new List<string>();
        foreach (string directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add($"{directory}: no such directory");
                continue;
            }
            var found = Directory.EnumerateFiles(directory, ShardPattern).Order(StringComparer.Ordinal).ToList();
            if (found.Count == 0) problems.Add($"{directory}: no partial results ({ShardPattern}); run plan with --shard i/n --out {directory}");
            manifests.AddRange(found);
        }
        if (problems.Count > 0) throw new PlanException(problems);

        var shards = new List<(string Path, PlanSweep Sweep, ReceiverFacts Facts, Shard Shard)>();
        foreach (string manifest in manifests.Distinct())
        {
            try
            {
                var read = PlanJson.ReadManifest(manifest);
                string csv = Path.ChangeExtension(manifest, ".csv");
                // Well-formed edits pass every other check (a seed, a delivered count): the digests catch them.
                if (PlanJson.InputsSha256(read.Sweep, read.Facts, read.Shard) != read.InputsSha256)
                    problems.Add($"{manifest}: its sweep, facts or shard do not match the digest it was written with (inputs_sha256): edited or damaged since");
                else if (File.Exists(csv) && Sha256Of(csv) != read.RunsSha256)
                    problems.Add($"{csv}: its rows do not match the digest its manifest carries (runs_sha256): edited or damaged since the shard ran");
                else shards.Add((manifest, read.Sweep, read.Facts, read.Shard));
            }
            catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IOException)
            {
                problems.Add($"{manifest}: not a plan shard manifest: {e.Message}");
            }
        }
        if (problems.Count > 0) throw new PlanException(problems);

        var first = shards[0];
        foreach (var other in shards.Skip(1))
        {
            if (!other.Sweep.SameSweepAs(first.Sweep, out string difference))
                problems.Add($"{other.Path}: not the same sweep as {first.Path} ({difference})");
            else if (other.Shard.Count != first.Shard.Count)
                problems.Add($"{other.Path}: shard {other.Shard} of a split into {other.Shard.Count}, but {first.Path} is of a split into {first.Shard.Count}");
        }
        if (problems.Count > 0) throw new PlanException(problems);

        int count = first.Shard.Count;
        foreach (var duplicate in shards.GroupBy(s => s.Shard.Index).Where(g => g.Count() > 1))
            problems.Add($"shard {duplicate.Key}/{count} appears {duplicate.Count()} times: {string.Join(", ", duplicate.Select(d => d.Path))}");
        var present = shards.Select(s => s.Shard.Index).ToHashSet();
        var missing = Enumerable.Range(0, count).Where(i => !present.Contains(i)).ToList();
        if (missing.Count > 0) problems.Add($"missing shards: {string.Join(", ", missing.Select(i => $"{i}/{count}"))} (of {count})");
        if (problems.Count > 0) throw new PlanException(problems);

        var runs = new List<CellResult>();
        foreach (var (manifest, sweep, _, shard) in shards)
        {
            string csv = Path.ChangeExtension(manifest, ".csv");
            IReadOnlyList<CellResult> rows;
            try
            {
                rows = PlanCsv.ReadRuns(csv);
            }
            catch (RecordFileException e)
            {
                problems.AddRange(e.Problems.Select(p => $"{Path.GetDirectoryName(csv)}/{p}"));
                continue;
            }
            var expected = sweep.Cells().Where(c => shard.Includes(c.Index)).Select(c => c.Index).ToList();
            var actual = rows.Select(r => r.Cell).ToList();
            if (!actual.SequenceEqual(expected))
            {
                problems.Add($"{csv}: holds {actual.Count} runs, but shard {shard} of this sweep has {expected.Count} " +
                    "(cells index % n == i, in order): the file is incomplete or from another sweep");
                continue;
            }
            runs.AddRange(rows);
        }
        if (problems.Count > 0) throw new PlanException(problems);
        return new MergedSweep(first.Sweep, first.Facts, [.. runs.OrderBy(r => r.Cell)]);
    }
}
