using System.Globalization;
using PipelineSim.Analysis.Comparison;
using Spectre.Console;

namespace PipelineSim.Cli.Rendering;

/// <summary>
/// A comparison on the console: per writer endpoint a table of the simulated and the live figures side by side
/// (outcome counts by code, pushes per attempt count, latency quantiles) with every difference in red, then the
/// verdict line.
/// </summary>
internal static class ComparisonView
{
    public static void Render(IAnsiConsole console, RunComparison comparison)
    {
        foreach (var endpoint in comparison.Endpoints) console.Write(Table(endpoint));
        string rule = comparison.Options.Describe();
        int differing = comparison.Endpoints.Count(e => !e.Agrees);
        console.MarkupLine(differing == 0
            ? $"[green]verdict: simulated and live agree[/] ({Markup.Escape(rule)})"
            : $"[red]verdict: simulated and live differ at {differing} of {comparison.Endpoints.Count} endpoints[/] ({Markup.Escape(rule)})");
    }

    internal static Table Table(EndpointComparison e)
    {
        var (sim, live) = (e.Simulated, e.Live);
        var table = new Table().Border(TableBorder.Simple)
            .Title($"[bold]{Markup.Escape(e.Writer)} → {Markup.Escape(e.Endpoint)}[/]: {(e.Agrees ? "[green]agree[/]" : "[red]DIFFER[/]")}")
            .AddColumn("").AddColumn(new TableColumn("simulated").RightAligned()).AddColumn(new TableColumn("live").RightAligned())
            .AddColumn("difference");
        Counts(table, "pushes compared", sim.Compared, live.Compared);
        foreach (string code in sim.ByCode.Keys.Union(live.ByCode.Keys).Order(StringComparer.Ordinal))
            Counts(table, "  " + code, sim.ByCode.GetValueOrDefault(code), live.ByCode.GetValueOrDefault(code));
        foreach (int attempts in sim.ByAttempts.Keys.Union(live.ByAttempts.Keys).Order())
            Counts(table, $"  {attempts} attempt{(attempts == 1 ? "" : "s")}", sim.ByAttempts.GetValueOrDefault(attempts), live.ByAttempts.GetValueOrDefault(attempts));
        foreach (var share in e.OutcomeDifferences)
        {
            string delta = $"{(share.Live - share.Simulated).ToString("+#,0;-#,0", CultureInfo.InvariantCulture)} (p = {PValue(share.PValue)})";
            table.AddRow(Markup.Escape("  " + share.Outcome), Count(share.Simulated), Count(share.Live),
                share.Agrees ? $"[yellow]{delta}[/]" : $"[red]{delta}[/]");
        }
        foreach (var q in e.Quantiles)
        {
            string delta = $"{Signed(q.Difference)} (±{Seconds(q.Margin)})";
            table.AddRow(Markup.Escape("latency " + q.Name), Seconds(q.Simulated), Seconds(q.Live), q.Agrees ? delta : $"[red]{delta}[/]");
        }
        if (e.Quantiles.Count == 0) table.AddRow("latency", sim.Compared == 0 ? "none" : "", live.Compared == 0 ? "none" : "", "");
        if (e.Outcomes.All(o => o.Outcome != OutcomeShare.MadeByOneRunOnly)) Counts(table, OutcomeShare.MadeByOneRunOnly, sim.Unmatched, live.Unmatched);
        table.AddRow("left out (in flight, or at the end)", Count(sim.LeftOut), Count(live.LeftOut), "");
        var notes = new List<string>();
        if (e.OneSided) notes.Add("[red]only one run pushed here[/]");
        else if (e.OutcomesAgree && e.OutcomeDifferences.Any())
            notes.Add($"outcome counts differ by no more than chance allows (smallest p = {PValue(e.Outcomes.Min(o => o.PValue))}, threshold {PValue(e.Outcomes[0].Threshold)})");
        else if (e.PairsDiffering > 0 && e.OutcomesAgree)
            notes.Add($"{Count(e.PairsDiffering)} pushes ended differently from their counterparts, in the same numbers: agents swapped places");
        var unbounded = e.Quantiles.Where(q => q.SimulatedRange.Upper == TimeSpan.MaxValue).Select(q => q.Name).ToList();
        if (unbounded.Count > 0)
            notes.Add($"{string.Join(", ", unbounded)}: too few pushes beyond {(unbounded.Count == 1 ? "it" : "them")} to bound the simulated value from above; only a live value clearly below it counts");
        if (notes.Count > 0) table.Caption(string.Join("\n", notes));
        return table;
    }

    private static void Counts(Table table, string label, long simulated, long live)
    {
        bool same = simulated == live;
        string delta = same ? "" : $"[red]{(live - simulated).ToString("+#,0;-#,0", CultureInfo.InvariantCulture)}[/]";
        table.AddRow(Markup.Escape(label), Count(simulated), Count(live), delta);
    }

    private static string PValue(double p) => p.ToString(p < 0.001 ? "0.0e0" : "0.####", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string Signed(TimeSpan value) => (value >= TimeSpan.Zero ? "+" : "−") + Seconds(value.Duration());
}
