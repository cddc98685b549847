using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using PipelineSim.Core.Time;
using PipelineSim.Scenarios;

namespace PipelineSim.Analysis.Planning;

/// <summary>Which way a knob costs less: a shorter timeout, fewer retries (low), or a longer one (high).</summary>
public enum KnobPreference
{
    None,
    Low,
    High,
}

/// <summary>
/// A scenario value the sweep varies, by the path problem messages print (<c>--vary
/// components.w1.endpoints[0].remote_timeout=10s:40s:5s</c>): each value is put into the scenario as a
/// <see cref="ScenarioOverride"/>, so it is read and validated as if the file had said it. Values are numbers or Go
/// durations, given as a range <c>start:stop:step</c> or a list <c>1,3,10</c>, and are kept as written.
/// </summary>
public sealed record KnobSweep(string Path, IReadOnlyList<string> Values, KnobPreference Preference = KnobPreference.None)
{
    public const int MaxValues = 1000;

    /// <summary>The last dotted step of the path plus the component: "w1.remote_timeout" for a long endpoint path.</summary>
    public string ShortName
    {
        get
        {
            string[] steps = Path.Split('.');
            return steps.Length >= 2 && steps[0] == "components" ? $"{steps[1]}.{steps[^1]}" : Path;
        }
    }

    /// <summary>The value's size, for ordering by preference: seconds for a duration, the number itself otherwise.</summary>
    public static double Magnitude(string value) =>
        GoDuration.TryParse(value, out var duration, out _) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? duration.TotalSeconds
            : double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Reads <c>PATH=GRID</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out KnobSweep? knob, out string error)
    {
        knob = null;
        if (!ScenarioOverride.TryParse(text, out var change, out error)) return false;
        if (!TryParseGrid(change!.Value, out var values, out error))
        {
            error = $"{change.Path}: {error}";
            return false;
        }
        knob = new KnobSweep(change.Path, values);
        return true;
    }

    /// <summary>A range of numbers or durations, or a list of them; values ascending and distinct.</summary>
    public static bool TryParseGrid(string text, [NotNullWhen(true)] out IReadOnlyList<string>? values, out string error)
    {
        values = null;
        string compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        if (compact.Length == 0)
        {
            error = "the grid is empty: give start:stop:step or a list such as 1,3,10";
            return false;
        }
        if (!compact.Contains(':')) return TryParseList(compact, out values, out error);

        string[] parts = compact.Split(':');
        if (parts.Length != 3)
        {
            error = $"'{compact}' is not a range start:stop:step such as 10s:40s:5s";
            return false;
        }
        bool durations = parts.All(p => !IsNumber(p));
        if (!durations && !parts.All(IsNumber))
        {
            error = $"'{compact}': start, stop and step must all be numbers or all be durations";
            return false;
        }
        if (!parts.All(p => TryMagnitude(p, out _)))
        {
            error = $"'{compact}': '{parts.First(p => !TryMagnitude(p, out _))}' is neither a number nor a Go duration such as 30s";
            return false;
        }
        double start = Magnitude(parts[0]), stop = Magnitude(parts[1]), step = Magnitude(parts[2]);
        if (!(step > 0) || stop < start)
        {
            error = $"'{compact}': the step must be positive and stop at least start";
            return false;
        }
        if ((stop - start) / step + 1 > MaxValues)
        {
            error = $"'{compact}' has more than {MaxValues} values; is the step right?";
            return false;
        }
        var list = new List<string>();
        // Stepping by a count of steps, not by adding, keeps 0.1-style steps from drifting past stop.
        for (long i = 0; start + i * step <= stop + step * 1e-9; i++)
        {
            double value = start + i * step;
            list.Add(durations ? GoDuration.Format(TimeSpan.FromSeconds(value)) : value.ToString("R", CultureInfo.InvariantCulture));
        }
        values = list;
        error = "";
        return true;
    }

    private static bool TryParseList(string text, [NotNullWhen(true)] out IReadOnlyList<string>? values, out string error)
    {
        values = null;
        var items = text.Split(',');
        foreach (string item in items)
        {
            if (!TryMagnitude(item, out _))
            {
                error = $"'{item}' is neither a number nor a Go duration such as 30s";
                return false;
            }
        }
        if (items.Length > MaxValues)
        {
            error = $"the list has more than {MaxValues} values";
            return false;
        }
        values = [.. items.Distinct(StringComparer.Ordinal).OrderBy(Magnitude)];
        error = "";
        return true;
    }

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v);

    private static bool TryMagnitude(string text, out double magnitude)
    {
        magnitude = 0;
        if (IsNumber(text))
        {
            magnitude = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            return true;
        }
        if (!GoDuration.TryParse(text, out var duration, out _)) return false;
        magnitude = duration.TotalSeconds;
        return true;
    }
}
