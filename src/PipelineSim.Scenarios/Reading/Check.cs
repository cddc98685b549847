namespace PipelineSim.Scenarios.Reading;

/// <summary>
/// Range checks on values that parse but cannot be: each returns the problem, or null when fine. A source's,
/// receiver's or backend's ranges are its type's <c>Validate</c> (see <see cref="Schema.ModelChecks.ReportFor"/>), not
/// restated with these.
/// </summary>
internal static class Check
{
    public static Func<TimeSpan, string?> NonNegative { get; } =
        value => value >= TimeSpan.Zero ? null : "must not be negative";

    public static Func<TimeSpan, string?> Positive { get; } =
        value => value > TimeSpan.Zero ? null : "must be greater than 0s";

    public static Func<int, string?> AtLeast(int minimum) =>
        value => value >= minimum ? null : $"must be at least {minimum}, found {value}";
}
