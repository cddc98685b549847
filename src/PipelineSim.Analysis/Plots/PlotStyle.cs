using ScottPlot;

namespace PipelineSim.Analysis.Plots;

/// <summary>Fixed colours and labels, so a code has the same colour in every plot of every run.</summary>
internal static class PlotStyle
{
    public static readonly Color Delivered = Color.FromHex("#2ca02c");
    public static readonly Color Failed = Color.FromHex("#d62728");
    public static readonly Color InFlight = Color.FromHex("#7f7f7f");
    public static readonly Color Primary = Color.FromHex("#1f77b4");
    public static readonly Color Limit = Color.FromHex("#d62728");

    private static readonly Dictionary<string, Color> CodeColors = new(StringComparer.Ordinal)
    {
        ["ok"] = Delivered,
        ["deadline_exceeded"] = Failed,
        ["unavailable"] = Color.FromHex("#9467bd"),
        ["internal"] = Color.FromHex("#ff7f0e"),
        ["unknown"] = Color.FromHex("#7f7f7f"),
        ["resource_exhausted"] = Color.FromHex("#8c564b"),
        ["canceled"] = Color.FromHex("#e377c2"),
    };

    private static readonly Color[] OtherCodes = [Color.FromHex("#17becf"), Color.FromHex("#bcbd22"), Color.FromHex("#393b79"), Color.FromHex("#637939")];

    public static Color ForCode(string code) =>
        CodeColors.TryGetValue(code, out var color) ? color : OtherCodes[(uint)StableHash(code) % OtherCodes.Length];

    /// <summary>
    /// A sans-serif font the machine has, first of a fixed list (ScottPlot's own guess falls back to a serif font on
    /// Linux): the same font, and so the same pixels, on every machine that has it.
    /// </summary>
    private static readonly Lazy<string> Font = new(() =>
    {
        var installed = SkiaSharp.SKFontManager.Default.GetFontFamilies().ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" }.FirstOrDefault(installed.Contains) ?? Fonts.Default;
    });

    public static void Apply(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Font.Set(Font.Value);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
    }

    /// <summary>"10 s", "1 min", "200 ms": a bin width as a person says it.</summary>
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => $"{span.TotalMilliseconds:0.###} ms",
        < 60 => $"{span.TotalSeconds:0.###} s",
        < 3600 => $"{span.TotalMinutes:0.###} min",
        _ => $"{span.TotalHours:0.###} h",
    };

    /// <summary>A latency in seconds to three significant digits in the unit that reads best: 1 µs, 736 ms, 1.45 s.</summary>
    public static string Seconds(double seconds) => seconds switch
    {
        < 1e-3 => $"{Significant(seconds * 1e6)} µs",
        < 1 => $"{Significant(seconds * 1e3)} ms",
        _ => $"{Significant(seconds)} s",
    };

    private static string Significant(double value)
    {
        if (value == 0) return "0";
        int decimals = Math.Max(0, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return Math.Round(value, decimals).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>string.GetHashCode is randomised per process; plots must not be.</summary>
    private static int StableHash(string text)
    {
        int hash = 17;
        foreach (char c in text) hash = unchecked(hash * 31 + c);
        return hash;
    }
}
