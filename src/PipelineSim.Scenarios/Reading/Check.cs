namespace PipelineSim.Scenarios.Reading;

/// <summary>Range checks on values that parse but cannot be: each returns the problem, or null when fine.</summary>
internal static class Check
{
    public static Func<TimeSpan, string?> NonNegative { get; } =
        value => value >= TimeSpan.Zero ? null : "must not be negative";

    public static Func<TimeSpan, string?> Positive { get; } =
        value => value > TimeSpan.Zero ? null : "must be greater than 0s";

    public static Func<int, string?> AtLeast(int minimum) =>
        value => value >= minimum ? null : $"must be at least {minimum}, found {value}";

    /// <summary>At least <paramref name="minimum"/> and at most <paramref name="maximum"/>; <paramref name="why"/>
    /// says what the upper bound protects.</summary>
    public static Func<int, string?> Within(int minimum, int maximum, string why) =>
        value => value < minimum ? $"must be at least {minimum}, found {value}"
            : value > maximum ? $"must be at most {maximum}, found {value}: {why}"
            : null;

    public static Func<double, string?> Between(double minimum, double maximum) =>
        value => value >= minimum && value <= maximum ? null : $"must be between {minimum} and {maximum}, found {value}";

    public static Func<double, string?> NonNegativeNumber { get; } =
        value => value >= 0 ? null : $"must not be negative, found {value}";
}
