using System.ComponentModel;
using System.Globalization;

namespace PipelineSim.Cli.Commands;

/// <summary>
/// Reads <c>--seed</c>: a whole number from 0 to 2^64-1, the range of the scenario's <c>seed:</c>. Without it Spectre
/// answered <c>--seed -1</c> with "Failed to convert '-1' to Nullable`1"; this names the option and the range.
/// </summary>
public sealed class SeedConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        ulong.TryParse((string)value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            ? seed
            : throw new OptionValueException($"--seed must be a whole number from 0 to {ulong.MaxValue}, not '{value}'.");
}

/// <summary>A value given to an option that the option does not take; its message is the whole answer to the user.</summary>
public sealed class OptionValueException(string message) : Exception(message);
