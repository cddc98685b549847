using System.Globalization;
using CsvHelper;
using PipelineSim.Analysis.Records;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The planner's CSV files, with the conventions of the record files (UTF-8 without BOM, <c>\n</c>, RFC 4180,
/// invariant numbers; reals in their shortest round-trip form, so a file read back gives the same values):
/// <c>plan.csv</c> (and each shard's partial file) has one row per run, <c>plan-summary.csv</c> one row per point.
/// </summary>
public static class PlanCsv
{
    public static readonly string[] RunColumns =
    [
        "cell", "point", "conn_limit", "fleet", "replicas", "replication", "seed",
        "judged", "delivered", "failed", "in_flight", "late_in_flight",
        "latency_p50_s", "latency_p90_s", "latency_p99_s", "push_bytes",
        "peak_connections", "time_at_limit_s", "peak_backlog", "syn_drops", "connections_accepted",
        "requests", "mean_service_s", "skipped_ticks", "holding_clients", "holding_push_rate", "other_push_rate", "other_idle_hold_s", "events",
        "first_hop_retries", "forwarded", "forwarded_retries", "forwarded_failed", "latency_p95_s", "claims",
    ];

    private static readonly CsvWriterOptions Options = new()
    {
        Separator = ',',
        NewLine = "\n",
        NullValue = "",
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    public static void WriteRuns(string path, IEnumerable<CellResult> runs) => AtomicFile.Write(path, stream =>
    {
        using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        csv.WriteHeader(RunColumns);
        foreach (var run in runs)
        {
            csv.WriteField(run.Cell, default);
            csv.WriteField(run.Point, default);
            csv.WriteField(run.ConnLimit, default);
            csv.WriteField(run.FleetSize, default);
            csv.WriteField(run.Replicas, default);
            csv.WriteField(run.Replication, default);
            csv.WriteField(run.Seed, default);
            csv.WriteField(run.Judged, default);
            csv.WriteField(run.Delivered, default);
            csv.WriteField(run.Failed, default);
            csv.WriteField(run.InFlight, default);
            csv.WriteField(run.LateInFlight, default);
            csv.WriteField(run.LatencyP50, default);
            csv.WriteField(run.LatencyP90, default);
            csv.WriteField(run.LatencyP99, default);
            csv.WriteField(run.PushBytes, default);
            csv.WriteField(run.PeakConnections, default);
            csv.WriteField(run.TimeAtLimit, default);
            csv.WriteField(run.PeakBacklog, default);
            csv.WriteField(run.SynDrops, default);
            csv.WriteField(run.ConnectionsAccepted, default);
            csv.WriteField(run.Requests, default);
            csv.WriteField(run.MeanServiceTime, default);
            csv.WriteField(run.SkippedTicks, default);
            csv.WriteField(run.HoldingClients, default);
            csv.WriteField(run.HoldingPushRate, default);
            csv.WriteField(run.OtherPushRate, default);
            csv.WriteField(run.OtherIdleHold, default);
            csv.WriteField(run.Events, default);
            csv.WriteField(run.FirstHopRetries, default);
            csv.WriteField(run.Forwarded, default);
            csv.WriteField(run.ForwardedRetries, default);
            csv.WriteField(run.ForwardedFailed, default);
            csv.WriteField(run.LatencyP95, default);
            csv.WriteField(FormatClaims(run.Claims));
            csv.EndRecord();
        }
    });

    /// <summary>Reads a file <see cref="WriteRuns"/> wrote; a bad row is a <see cref="RecordFileException"/> naming line and column.</summary>
    public static IReadOnlyList<CellResult> ReadRuns(string path) => [.. RecordCsvReader.Read(path, RunColumns, row => new CellResult
    {
        Cell = row.Int(0),
        Point = row.Int(1),
        ConnLimit = row.Int(2),
        FleetSize = row.OptionalInt(3),
        Replicas = row.Int(4),
        Replication = row.Int(5),
        Seed = row.ULong(6),
        Judged = row.Long(7),
        Delivered = row.Long(8),
        Failed = row.Long(9),
        InFlight = row.Long(10),
        LateInFlight = row.Long(11),
        LatencyP50 = row.Double(12),
        LatencyP90 = row.Double(13),
        LatencyP99 = row.Double(14),
        PushBytes = row.Long(15),
        PeakConnections = row.Int(16),
        TimeAtLimit = row.Double(17),
        PeakBacklog = row.Int(18),
        SynDrops = row.Long(19),
        ConnectionsAccepted = row.Long(20),
        Requests = row.Long(21),
        MeanServiceTime = row.Double(22),
        SkippedTicks = row.Long(23),
        HoldingClients = row.Long(24),
        HoldingPushRate = row.Double(25),
        OtherPushRate = row.Double(26),
        OtherIdleHold = row.Double(27),
        Events = row.Long(28),
        FirstHopRetries = row.Long(29),
        Forwarded = row.Long(30),
        ForwardedRetries = row.Long(31),
        ForwardedFailed = row.Long(32),
        LatencyP95 = row.Double(33),
        Claims = ParseClaims(row.Text(34)),
    })];

    /// <summary>A run's claim sides in one field: <c>left right</c> pairs, shortest round-trip reals, separated by <c>;</c>.</summary>
    private static string FormatClaims(ClaimValues claims) => string.Join(";",
        claims.Sides.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Left:R} {c.Right:R}")));

    private static ClaimValues ParseClaims(string text)
    {
        if (text.Length == 0) return ClaimValues.None;
        var sides = new List<ClaimSides>();
        foreach (string pair in text.Split(';'))
        {
            if (pair.Split(' ') is not [var left, var right] || !TryReal(left, out double l) || !TryReal(right, out double r))
                throw new RecordCsvReader.FieldException("claims", $"'{pair}' is not a claim's two sides (two numbers)");
            sides.Add(new ClaimSides(l, r));
        }
        return new ClaimValues(sides);

        static bool TryReal(string value, out double real) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out real);
    }

    /// <summary>
    /// <c>plan-summary.csv</c>: per point its SLO estimates and bounds (<c>&lt;key&gt;_estimate</c>, <c>_lower</c>,
    /// <c>_upper</c>, <c>_met</c>, in the sweep's SLO order), the peaks over replications, and whether every SLO holds.
    /// </summary>
    public static void WriteSummary(string path, PlanResult plan) => AtomicFile.Write(path, stream =>
    {
        using var csv = CsvWriter.Create(stream, Options, leaveOpen: true);
        var header = new List<string> { "point", "conn_limit", "fleet", "replicas", "setting", "replications", "judged" };
        foreach (string slo in Slo.DistinctKeys(plan.Sweep.Slos))
            header.AddRange([$"{slo}_estimate", $"{slo}_lower", $"{slo}_upper", $"{slo}_met"]);
        header.AddRange(["peak_connections", "peak_backlog", "syn_drops_mean", "time_at_limit_s_mean", "meets_slos"]);
        csv.WriteHeader([.. header]);
        foreach (var point in plan.Points)
        {
            csv.WriteField(point.Point.Index, default);
            csv.WriteField(point.Point.ConnLimit, default);
            csv.WriteField(point.Point.FleetSize, default);
            csv.WriteField(point.Point.Replicas, default);
            csv.WriteField(plan.Sweep.Grid.SettingLabel(point.Point.Setting));
            csv.WriteField(point.Runs.Count, default);
            csv.WriteField(point.Judged, default);
            foreach (var estimate in point.Slos)
            {
                csv.WriteField(estimate.Interval?.Estimate, default);
                csv.WriteField(estimate.Interval?.Lower, default);
                csv.WriteField(estimate.Interval?.Upper, default);
                csv.WriteField(estimate.Met ? "true" : "false");
            }
            csv.WriteField(point.PeakConnections, default);
            csv.WriteField(point.PeakBacklog, default);
            csv.WriteField(point.MeanSynDrops, default);
            csv.WriteField(point.MeanTimeAtLimit, default);
            csv.WriteField(point.MeetsSlos ? "true" : "false");
            csv.EndRecord();
        }
    });
}
