using System.Globalization;
using ScottPlot;

namespace PipelineSim.Analysis.Plots;

/// <summary>
/// The x axis every time plot of a run shares: from the start to the end of the run (a retry at 610 s of a 20 min run
/// shows as one bar in its place, not as a plot zoomed to 609.5–620.5 s), in the unit that reads best for the run's
/// length (seconds up to 10 min, minutes up to 3 h, hours beyond), with the scenario's faults marked.
/// </summary>
public sealed class TimeAxis
{
    private static readonly Color FaultColor = Color.FromHex("#ff7f0e");

    private TimeAxis(double spanSeconds, double secondsPerUnit, string unit)
    {
        SpanSeconds = spanSeconds;
        SecondsPerUnit = secondsPerUnit;
        Unit = unit;
    }

    public double SpanSeconds { get; }

    public double SecondsPerUnit { get; }

    /// <summary><c>s</c>, <c>min</c> or <c>h</c>.</summary>
    public string Unit { get; }

    public string Label => $"time since start ({Unit})";

    public static TimeAxis Spanning(TimeSpan run)
    {
        double seconds = Math.Max(run.TotalSeconds, 1);
        return seconds switch
        {
            <= 600 => new TimeAxis(seconds, 1, "s"),
            <= 3 * 3600 => new TimeAxis(seconds, 60, "min"),
            _ => new TimeAxis(seconds, 3600, "h"),
        };
    }

    /// <summary>Seconds since the start in the axis unit.</summary>
    public double X(double seconds) => seconds / SecondsPerUnit;

    /// <summary>Sets the x range to the whole run and marks the faults: windows shaded, instants as dashed lines.</summary>
    public void Apply(Plot plot, IReadOnlyList<FaultWindow> faults)
    {
        foreach (var fault in faults)
        {
            if (fault.IsInstant)
            {
                var line = plot.Add.VerticalLine(X(fault.Start.TotalSeconds), 2, FaultColor, LinePattern.Dashed);
                line.LegendText = $"fault: {fault.Label}";
            }
            else
            {
                var span = plot.Add.HorizontalSpan(X(fault.Start.TotalSeconds), X(Math.Min(fault.End.TotalSeconds, SpanSeconds)));
                span.FillStyle.Color = FaultColor.WithAlpha(0.18);
                span.LineStyle.Width = 0;
                span.LegendText = $"fault: {fault.Label}";
            }
        }
        plot.Axes.SetLimitsX(0, X(SpanSeconds));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0–{X(SpanSeconds):0.##} {Unit}");
}
