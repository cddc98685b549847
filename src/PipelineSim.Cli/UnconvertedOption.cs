using System.Text.RegularExpressions;

namespace PipelineSim.Cli;

/// <summary>
/// Spectre reports a value it cannot convert to an option's type as <c>Failed to convert 'abc' to Int32.</c>, naming
/// neither the option nor what it wants. Given the command line, this finds the option the value was given to and
/// says it the way the rest of the CLI does: <c>--replications: 'abc' is not a whole number</c>.
/// </summary>
internal static partial class UnconvertedOption
{
    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>\w+)\.$", RegexOptions.Singleline)]
    private static partial Regex SpectreConversionFailure();

    /// <summary>The message with its option, or null when the message is not a conversion failure or the value was not
    /// given to an option on <paramref name="args"/>.</summary>
    public static string? Describe(string message, IReadOnlyList<string>? args)
    {
        var match = SpectreConversionFailure().Match(message);
        if (!match.Success || args is null) return null;
        string value = match.Groups["value"].Value;
        string? option = OptionGiven(value, args);
        return option is null ? null : $"{option}: '{value}' is not {Wanted(match.Groups["type"].Value)}";
    }

    private static string? OptionGiven(string value, IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith('-')) continue;
            int equals = arg.IndexOf('=');
            if (equals > 0 && arg[(equals + 1)..] == value) return arg[..equals];
            if (equals < 0 && i + 1 < args.Count && args[i + 1] == value) return arg;
        }
        return null;
    }

    private static string Wanted(string type) => type switch
    {
        "Int32" or "Int64" or "Int16" => "a whole number",
        "UInt32" or "UInt64" or "UInt16" or "Byte" => "a whole number from 0",
        "Double" or "Single" or "Decimal" => "a number",
        "Boolean" => "true or false",
        "TimeSpan" => "a duration",
        _ => $"a value of type {type}",
    };
}
