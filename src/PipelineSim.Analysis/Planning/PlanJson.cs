using System.Globalization;
using System.Text.Json;
using PipelineSim.Analysis.Records;
using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The planner's JSON: a shard's manifest (the sweep it belongs to, the scenario facts, its index), which
/// <c>plan merge</c> reads back, and <c>plan.json</c>, the whole evaluated plan. snake_case names in a fixed order,
/// two-space indentation, <c>\n</c> line ends and a final newline; durations in Go syntax; reals in their shortest
/// round-trip form, non-finite ones as null. Equal plans give equal bytes.
/// </summary>
public static class PlanJson
{
    private const int FormatVersion = 1;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // λ and ≤ as themselves
    };

    /// <param name="runsSha256">SHA-256 of the shard's CSV, so a merge can tell the rows are the ones this shard wrote.</param>
    public static void WriteManifest(string path, PlanSweep sweep, ReceiverFacts facts, Shard shard, string runsSha256) => Write(path, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("format", FormatVersion);
        WriteInputs(json, sweep, facts, shard);
        json.WriteStartObject("digests");
        json.WriteString("inputs_sha256", InputsSha256(sweep, facts, shard));
        json.WriteString("runs_sha256", runsSha256);
        json.WriteEndObject();
        json.WriteEndObject();
    });

    /// <summary>
    /// SHA-256 of what a shard was computed from (the sweep, the facts and the shard, as the manifest writes them), so a
    /// manifest edited after the fact (a seed, a grid, a fact) no longer matches its own digest.
    /// </summary>
    public static string InputsSha256(PlanSweep sweep, ReceiverFacts facts, Shard shard)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            WriteInputs(json, sweep, facts, shard);
            json.WriteEndObject();
        }
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.ToArray()));
    }

    private static void WriteInputs(Utf8JsonWriter json, PlanSweep sweep, ReceiverFacts facts, Shard shard)
    {
        WriteSweep(json, sweep);
        WriteFacts(json, facts);
        json.WriteStartObject("shard");
        json.WriteNumber("index", shard.Index);
        json.WriteNumber("count", shard.Count);
        json.WriteEndObject();
    }

    /// <summary>Reads a manifest; a <see cref="JsonException"/>, <see cref="FormatException"/> or <see cref="KeyNotFoundException"/> when it is not one.</summary>
    public static ShardManifest ReadManifest(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        int format = root.GetProperty("format").GetInt32();
        if (format != FormatVersion) throw new FormatException($"format {format} is not {FormatVersion}");
        var sweep = ReadSweep(root.GetProperty("sweep"));
        var facts = ReadFacts(root.GetProperty("facts"));
        var shard = root.GetProperty("shard");
        var digests = root.GetProperty("digests");
        return new ShardManifest(sweep, facts, new Shard(shard.GetProperty("index").GetInt32(), shard.GetProperty("count").GetInt32()),
            Text(digests, "inputs_sha256"), Text(digests, "runs_sha256"));
    }

    public static void WriteResult(string path, PlanResult plan) => Write(path, json =>
    {
        json.WriteStartObject();
        json.WriteNumber("format", FormatVersion);
        WriteSweep(json, plan.Sweep);
        WriteFacts(json, plan.Facts);
        json.WriteStartArray("points");
        foreach (var point in plan.Points) WritePoint(json, plan.Sweep.Grid, point);
        json.WriteEndArray();
        json.WriteStartArray("groups");
        foreach (var group in plan.Groups) WriteGroup(json, plan.Sweep.Grid, group);
        json.WriteEndArray();
        if (plan.Chain is { } chain)
        {
            json.WriteStartObject("timeout_chain");
            json.WriteString("upstream", chain.Chain.Upstream);
            json.WriteString("receiver", chain.Chain.Receiver);
            json.WriteString("downstream", chain.Chain.Downstream);
            json.WriteString("raise_upstream_to", GoDuration.Format(chain.RaiseUpstreamTo));
            if (chain.LowerDownstreamTo is TimeSpan lower) json.WriteString("lower_downstream_to", GoDuration.Format(lower));
            else json.WriteNull("lower_downstream_to");
            json.WriteStartArray("settings");
            foreach (var row in chain.Rows)
            {
                json.WriteStartObject();
                json.WriteString("setting", plan.Sweep.Grid.SettingLabel(row.Setting));
                json.WriteString("option", row.Option);
                json.WriteNumber("budget", row.Budget);
                json.WriteNumber("conn_limit", row.Point.Point.ConnLimit);
                json.WriteBoolean("meets_slos", row.Point.MeetsSlos);
                WriteReal(json, "delivered_ratio", row.Delivered);
                WriteReal(json, "latency_p99_s_mean", row.LatencyP99);
                WriteReal(json, "upstream_retries_per_push", row.UpstreamRetriesPerPush);
                WriteReal(json, "downstream_retries_per_push", row.DownstreamRetriesPerPush);
                json.WriteNumber("downstream_failed", row.ForwardedFailed);
                if (row.Disagreement is not null) json.WriteString("disagreement", row.Disagreement);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        if (plan.Sweep.Grid.Knobs.Count > 0)
        {
            if (plan.Choice is { } choice)
            {
                json.WriteStartObject("choice");
                json.WriteString("setting", plan.Sweep.Grid.SettingLabel(choice.Setting));
                WriteOptional(json, "fleet", choice.FleetSize);
                json.WriteNumber("replicas", choice.Replicas);
                WriteOptional(json, "recommended_conn_limit", choice.Recommended);
                json.WriteStartArray("costlier_settings_failing");
                foreach (var group in PlanEvaluator.CostlierFailing(plan.Sweep.Grid, plan.Groups, choice))
                    json.WriteStringValue(plan.Sweep.Grid.SettingLabel(group.Setting));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("choice");
            }
        }
        json.WriteStartArray("replica_advice");
        foreach (var advice in plan.ReplicaAdvice)
        {
            json.WriteStartObject();
            WriteOptional(json, "fleet", advice.FleetSize);
            json.WriteNumber("replicas", advice.Replicas);
            json.WriteNumber("per_instance_conn_limit", advice.PerInstanceLimit);
            json.WriteBoolean("simulated", advice.Simulated);
            json.WriteString("note", advice.Note);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("per_connection_estimates");
        json.WriteNumber("user_space_bytes", ConnectionFootprint.UserBytesPerConnection);
        json.WriteNumber("kernel_idle_bytes", ConnectionFootprint.KernelBytesPerIdleConnection);
        json.WriteNumber("base_file_descriptors", ConnectionFootprint.BaseDescriptors);
        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static void WriteSweep(Utf8JsonWriter json, PlanSweep sweep)
    {
        json.WriteStartObject("sweep");
        json.WriteString("scenario", sweep.Scenario);
        json.WriteString("scenario_name", sweep.ScenarioName);
        json.WriteString("scenario_sha256", sweep.ScenarioSha256);
        json.WriteString("receiver", sweep.Receiver);
        WriteInts(json, "conn_limits", sweep.Grid.ConnLimits);
        if (sweep.Grid.Fleet is { } fleet)
        {
            json.WriteStartObject("fleet");
            json.WriteString("source", fleet.Source);
            WriteInts(json, "sizes", fleet.Sizes);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("fleet");
        }
        WriteInts(json, "replicas", sweep.Grid.Replicas);
        json.WriteStartArray("knobs");
        foreach (var knob in sweep.Grid.Knobs)
        {
            json.WriteStartObject();
            json.WriteString("path", knob.Path);
            json.WriteStartArray("values");
            foreach (string value in knob.Values) json.WriteStringValue(value);
            json.WriteEndArray();
            json.WriteString("prefer", knob.Preference.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("replications", sweep.Replications);
        json.WriteNumber("seed", sweep.BaseSeed);
        json.WriteString("duration", GoDuration.Format(sweep.Duration));
        json.WriteStartArray("slos");
        foreach (var slo in sweep.Slos) json.WriteStringValue(slo.ToString());
        json.WriteEndArray();
        json.WriteNumber("headroom", sweep.Headroom);
        WriteOptional(json, "per_instance_ceiling", sweep.PerInstanceCeiling);
        json.WriteEndObject();
    }

    private static PlanSweep ReadSweep(JsonElement sweep)
    {
        var fleet = sweep.GetProperty("fleet");
        var ceiling = sweep.GetProperty("per_instance_ceiling");
        return new PlanSweep
        {
            Scenario = Text(sweep, "scenario"),
            ScenarioName = Text(sweep, "scenario_name"),
            ScenarioSha256 = Text(sweep, "scenario_sha256"),
            Receiver = Text(sweep, "receiver"),
            Grid = new PlanGrid(
                Ints(sweep.GetProperty("conn_limits")),
                fleet.ValueKind == JsonValueKind.Null ? null : new FleetSweep(Text(fleet, "source"), Ints(fleet.GetProperty("sizes"))),
                Ints(sweep.GetProperty("replicas")))
            {
                // Plans written before --vary had no knobs.
                Knobs = sweep.TryGetProperty("knobs", out var knobs) ? [.. knobs.EnumerateArray().Select(ReadKnob)] : [],
            },
            Replications = sweep.GetProperty("replications").GetInt32(),
            BaseSeed = sweep.GetProperty("seed").GetUInt64(),
            Duration = GoDuration.Parse(Text(sweep, "duration")),
            Slos = [.. sweep.GetProperty("slos").EnumerateArray().Select(s => Slo.Parse(s.GetString() ?? ""))],
            Headroom = sweep.GetProperty("headroom").GetDouble(),
            PerInstanceCeiling = ceiling.ValueKind == JsonValueKind.Null ? null : ceiling.GetInt32(),
        };
    }

    private static void WriteFacts(Utf8JsonWriter json, ReceiverFacts facts)
    {
        json.WriteStartObject("facts");
        json.WriteNumber("accept_backlog", facts.AcceptBacklog);
        json.WriteString("server_idle_timeout", GoDuration.Format(facts.ServerIdleTimeout));
        json.WriteNumber("downstream_connections", facts.DownstreamConnections);
        if (facts.HoldingPushInterval is TimeSpan interval) json.WriteString("holding_push_interval", GoDuration.Format(interval));
        else json.WriteNull("holding_push_interval");
        json.WriteNumber("group_size", facts.GroupSize);
        if (facts.Balancer is { } balancer) json.WriteString("balancer", balancer);
        // Written only for Poisson sources, so the plans of ticker scenarios stay as they were.
        if (facts.PoissonArrivals) json.WriteString("arrivals", "poisson");
        json.WriteEndObject();
    }

    private static ReceiverFacts ReadFacts(JsonElement facts)
    {
        var interval = facts.GetProperty("holding_push_interval");
        return new ReceiverFacts(
            facts.GetProperty("accept_backlog").GetInt32(),
            GoDuration.Parse(Text(facts, "server_idle_timeout")),
            facts.GetProperty("downstream_connections").GetInt32(),
            interval.ValueKind == JsonValueKind.Null ? null : GoDuration.Parse(interval.GetString() ?? ""),
            // Plans written before receivers behind a balancer were planned as a group had one instance.
            facts.TryGetProperty("group_size", out var group) ? group.GetInt32() : 1,
            facts.TryGetProperty("balancer", out var balancer) ? balancer.GetString() : null,
            facts.TryGetProperty("arrivals", out var arrivals) && arrivals.GetString() == "poisson");
    }

    private static KnobSweep ReadKnob(JsonElement knob) => new(
        Text(knob, "path"),
        [.. knob.GetProperty("values").EnumerateArray().Select(v => v.GetString() ?? "")],
        Enum.Parse<KnobPreference>(Text(knob, "prefer"), ignoreCase: true));

    private static void WritePoint(Utf8JsonWriter json, PlanGrid grid, PointSummary point)
    {
        json.WriteStartObject();
        json.WriteNumber("point", point.Point.Index);
        json.WriteNumber("conn_limit", point.Point.ConnLimit);
        WriteOptional(json, "fleet", point.Point.FleetSize);
        json.WriteNumber("replicas", point.Point.Replicas);
        if (grid.Knobs.Count > 0) json.WriteString("setting", grid.SettingLabel(point.Point.Setting));
        json.WriteNumber("judged", point.Judged);
        json.WriteStartArray("slos");
        foreach (var estimate in point.Slos)
        {
            json.WriteStartObject();
            json.WriteString("slo", estimate.Slo.ToString());
            WriteInterval(json, estimate.Interval);
            json.WriteBoolean("met", estimate.Met);
            if (estimate.Note is not null) json.WriteString("note", estimate.Note);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("peak_connections", point.PeakConnections);
        json.WriteNumber("peak_backlog", point.PeakBacklog);
        WriteReal(json, "syn_drops_mean", point.MeanSynDrops);
        WriteReal(json, "time_at_limit_s_mean", point.MeanTimeAtLimit);
        json.WriteBoolean("meets_slos", point.MeetsSlos);
        json.WriteEndObject();
    }

    private static void WriteGroup(Utf8JsonWriter json, PlanGrid grid, GroupPlan group)
    {
        json.WriteStartObject();
        WriteOptional(json, "fleet", group.FleetSize);
        json.WriteNumber("replicas", group.Replicas);
        if (grid.Knobs.Count > 0) json.WriteString("setting", grid.SettingLabel(group.Setting));
        WriteOptional(json, "sufficient_conn_limit", group.Sufficient?.Point.ConnLimit);
        WriteOptional(json, "recommended_conn_limit", group.Recommended);
        if (group.Analytic is { } a)
        {
            json.WriteStartObject("analytic");
            json.WriteString("regime", a.Regime switch
            {
                ConnectionRegime.KeepAliveHeld => "keep_alive_held",
                ConnectionRegime.Mixed => "mixed",
                _ => "load_driven",
            });
            json.WriteNumber("holding_clients", a.HoldingClients);
            json.WriteNumber("held_per_instance", a.HeldPerInstance);
            WriteReal(json, "arrival_rate_per_s", a.ArrivalRate);
            WriteReal(json, "service_time_s", a.ServiceTime);
            WriteReal(json, "offered_load_erlangs", a.OfferedLoad);
            WriteReal(json, "hold_time_s", a.HoldTime);
            WriteReal(json, "load_driven_erlangs", a.LoadDrivenLoad);
            WriteReal(json, "wait_target", a.WaitTarget);
            json.WriteNumber("erlang_c_slots", a.ErlangSlots);
            json.WriteNumber("erlang_c_slots_for_all_load", a.ErlangSlotsForAllLoad);
            json.WriteNumber("conn_limit", a.Slots);
            WriteReal(json, "syn_drop_probability", a.SynDropProbability);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("analytic");
        }
        WriteStrings(json, "comparison", group.Comparison);
        WriteStrings(json, "notes", group.Notes);
        if (group.Footprint is { } cost)
        {
            json.WriteStartObject("footprint");
            json.WriteNumber("conn_limit", cost.ConnLimit);
            json.WriteNumber("file_descriptors", cost.FileDescriptors);
            json.WriteNumber("suggested_nofile_limit", cost.SuggestedNoFileLimit);
            json.WriteNumber("idle_bytes", cost.IdleBytes);
            json.WriteNumber("busy_bytes", cost.BusyBytes);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("footprint");
        }
        json.WriteEndObject();
    }

    private static void WriteInterval(Utf8JsonWriter json, ConfidenceInterval? interval)
    {
        WriteReal(json, "estimate", interval?.Estimate);
        WriteReal(json, "lower", interval?.Lower);
        WriteReal(json, "upper", interval?.Upper);
    }

    private static void WriteReal(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v && double.IsFinite(v)) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, int? value)
    {
        if (value is int v) json.WriteNumber(name, v);
        else json.WriteNull(name);
    }

    private static void WriteInts(Utf8JsonWriter json, string name, IReadOnlyList<int> values)
    {
        json.WriteStartArray(name);
        foreach (int value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (string value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static IReadOnlyList<int> Ints(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetInt32())];

    private static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new FormatException($"{name} is null");

    private static void Write(string path, Action<Utf8JsonWriter> write) => AtomicFile.Write(path, stream =>
    {
        using (var json = new Utf8JsonWriter(stream, WriterOptions)) write(json);
        stream.WriteByte((byte)'\n');
    });
}

/// <summary>A shard's manifest as read: what it was computed from, and the digests it carries of that and of its rows.</summary>
public sealed record ShardManifest(PlanSweep Sweep, ReceiverFacts Facts, Shard Shard, string InputsSha256, string RunsSha256);
