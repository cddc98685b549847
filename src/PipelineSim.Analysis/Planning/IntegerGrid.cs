using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The values a sweep tries for one setting, written as a range <c>start:stop:step</c> (start, start + step, ... up to
/// and including stop when a step lands on it) or a list <c>4096,8192,16384</c>. Values come out ascending and
/// distinct; a grid is capped at <see cref="MaxValues"/> values, which catches a forgotten step.
/// </summary>
public static class IntegerGrid
{
    public const int MaxValues = 10_000;

    /// <param name="minimum">The smallest value allowed (1 for a conn_limit or a replica count).</param>
    public static bool TryParse(string? text, int minimum, [NotNullWhen(true)] out IReadOnlyList<int>? values, out string error)
    {
        values = null;
        string compact = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (compact.Length == 0)
        {
            error = "is empty: give start:stop:step or a list such as 4096,8192";
            return false;
        }
        return compact.Contains(':')
            ? TryParseRange(compact, minimum, out values, out error)
            : TryParseList(compact, minimum, out values, out error);
    }

    private static bool TryParseRange(string text, int minimum, [NotNullWhen(true)] out IReadOnlyList<int>? values, out string error)
    {
        values = null;
        string[] parts = text.Split(':');
        if (parts.Length != 3)
        {
            error = $"'{text}' is not a range start:stop:step such as 1000:20000:1000";
            return false;
        }
        if (!TryParseValue(parts[0], "start", out int start, out error)
            || !TryParseValue(parts[1], "stop", out int stop, out error)
            || !TryParseValue(parts[2], "step", out int step, out error))
        {
            error = $"'{text}': {error}";
            return false;
        }
        if (start < minimum)
        {
            error = $"'{text}': start must be at least {minimum}, found {start}";
            return false;
        }
        if (stop < start)
        {
            error = $"'{text}': stop {stop} is below start {start}";
            return false;
        }
        if (step < 1)
        {
            error = $"'{text}': step must be at least 1, found {step}";
            return false;
        }
        long count = ((long)stop - start) / step + 1;
        if (count > MaxValues)
        {
            error = $"'{text}' has {count:N0} values, more than {MaxValues:N0}: use a larger step";
            return false;
        }
        var range = new int[count];
        for (int i = 0; i < count; i++) range[i] = start + i * step;
        values = range;
        error = "";
        return true;
    }

    private static bool TryParseList(string text, int minimum, [NotNullWhen(true)] out IReadOnlyList<int>? values, out string error)
    {
        values = null;
        var set = new SortedSet<int>();
        foreach (string part in text.Split(','))
        {
            if (!TryParseValue(part, "value", out int value, out error))
            {
                error = $"'{text}': {error}";
                return false;
            }
            if (value < minimum)
            {
                error = $"'{text}': {value} is below the minimum of {minimum}";
                return false;
            }
            if (!set.Add(value))
            {
                error = $"'{text}': {value} is listed twice";
                return false;
            }
        }
        if (set.Count > MaxValues)
        {
            error = $"'{text}' has more than {MaxValues:N0} values";
            return false;
        }
        values = [.. set];
        error = "";
        return true;
    }

    private static bool TryParseValue(string part, string what, out int value, out string error)
    {
        if (int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = "";
            return true;
        }
        error = part.Length == 0 ? $"the {what} is missing" : $"{what} '{part}' is not a whole number";
        return false;
    }

    /// <summary>The grid as text that <see cref="TryParse"/> reads back to the same values: a comma list.</summary>
    public static string Format(IReadOnlyList<int> values) =>
        string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
