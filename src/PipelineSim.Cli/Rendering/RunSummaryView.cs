using System.Globalization;
using PipelineSim.Analysis.Summary;
using PipelineSim.Core.Records;
using Spectre.Console;

namespace PipelineSim.Cli.Rendering;

/// <summary>
/// The console summary of a run: a short block per writer endpoint and per receiver, then the conservation line.
/// Blocks of labelled lines rather than one wide table, so it stays readable in an 80-column terminal or a CI log.
/// Renders a <see cref="RunSummary"/> and nothing else, so the console says what summary.json says.
/// </summary>
public static class RunSummaryView
{
    public static void Render(IAnsiConsole console, RunSummary summary)
    {
        foreach (var endpoint in summary.Endpoints)
        {
            foreach (string line in Endpoint(endpoint)) console.MarkupLine(line);
        }
        foreach (var receiver in summary.Receivers)
        {
            foreach (string line in Receiver(receiver)) console.MarkupLine(line);
        }
        foreach (string line in Conservation(summary.Conservation)) console.MarkupLine(line);
        foreach (string warning in HeadroomWarnings.Of(summary))
        {
            foreach (string line in Wrapped("warning: " + warning, 80)) console.MarkupLine(Markup.Escape(line));
        }
    }

    /// <summary>Markup lines for one writer endpoint.</summary>
    internal static IEnumerable<string> Endpoint(EndpointSummary e)
    {
        yield return $"[bold]{Markup.Escape(e.Writer)} → {Markup.Escape(e.Endpoint)}[/]";
        string failed = e.Failed > 0 ? $"[red]failed {Count(e.Failed)}[/]" : "failed 0";
        yield return $"  pushes {Count(e.Pushes)}: delivered {Count(e.Delivered)}, {failed}, in flight {Count(e.InFlight)}";
        if (e.FailedByCode.Count > 0) yield return $"  failed by code: {Markup.Escape(Codes(e.FailedByCode))}";
        yield return $"  attempts: {string.Join("  ", e.Attempts.Select(a => $"{a.Attempts}×{Count(a.Pushes)}"))}   retries {Count(e.Retries)}";
        yield return e.Latency is { } l
            ? $"  latency: p50 {Seconds(l.P50)}  p90 {Seconds(l.P90)}  p99 {Seconds(l.P99)}  max {Seconds(l.Max)}"
            : "  latency: no finished pushes";
    }

    /// <summary>Markup lines for one receiver.</summary>
    internal static IEnumerable<string> Receiver(ReceiverStats r)
    {
        yield return $"[bold]receiver {Markup.Escape(r.Receiver)}[/]";
        if (r.ConnLimit > 0)
        {
            bool atLimit = r.PeakAcceptedConnections >= r.ConnLimit;
            string peak = $"peak {Count(r.PeakAcceptedConnections)} of limit {Count(r.ConnLimit)}";
            yield return $"  accepted connections: {(atLimit ? $"[red]{peak}[/]" : peak)}, at the limit for {Seconds(r.TimeAtLimit)}";
        }
        else
        {
            yield return $"  accepted connections: peak {Count(r.PeakAcceptedConnections)}, no limit";
        }
        string capacity = r.AcceptBacklogCapacity > 0 ? $" of {Count(r.AcceptBacklogCapacity)}" : "";
        string drops = r.SynDrops > 0 ? $"[red]SYN drops {Count(r.SynDrops)}[/]" : "SYN drops 0";
        yield return $"  accept backlog: peak {Count(r.PeakAcceptBacklog)}{capacity}, {drops}";
        yield return $"  requests: {Count(r.RequestsHandled)} handled, {Count(r.RequestsFailed)} failed (500)";
        if (r.RequestsAfterHangUp > 0)
            yield return $"  read after the client hung up: {Count(r.RequestsAfterHangUp)}, [yellow]{Count(r.DuplicateForwards)} forwarded anyway (duplicates)[/]";
    }

    /// <summary>
    /// <c>conservation: 406 profiles created</c>, <c>= 360 delivered + 40 dropped + 6 in flight: ok</c>, then the drops
    /// by code: short lines, since counts of a big run are long numbers.
    /// </summary>
    internal static IEnumerable<string> Conservation(ProfileBalance line)
    {
        string verdict = line.Holds ? "[green]ok[/]" : $"[red]{Count(line.Unaccounted)} unaccounted[/]";
        yield return $"conservation: {Count(line.Created)} profiles created";
        yield return $"  = {Count(line.Delivered)} delivered + {Count(line.Dropped)} dropped + {Count(line.InFlight)} in flight: {verdict}";
        if (line.DroppedByCode.Count > 0) yield return $"  dropped by code: {Markup.Escape(Codes(line.DroppedByCode))}";
    }

    private static string Codes(IReadOnlyDictionary<string, long> byCode) =>
        string.Join(", ", byCode.Select(c => $"{c.Key} {Count(c.Value)}"));

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Seconds with three decimals (summary.json keeps six).</summary>
    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>A sentence broken at spaces into lines of at most <paramref name="width"/> columns, continued two columns in.</summary>
    internal static IEnumerable<string> Wrapped(string sentence, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (string word in sentence.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append("  ");
            }
            if (line.Length > 0 && line.ToString() != "  ") line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
