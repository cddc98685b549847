using System.Text.Json;
using System.Text.Json.Serialization;
using PipelineSim.Analysis.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Analysis.Summary;

/// <summary>
/// <c>summary.json</c>: a <see cref="RunSummary"/> with snake_case names in declaration order, durations and times as
/// JSON numbers of seconds with six decimals (the CSV form), two-space indentation and a final newline. Equal
/// summaries give equal bytes.
/// </summary>
public static class RunSummaryJson
{
    /// <summary>
    /// Indented as the context says; text escaped only where JSON requires it, so an <c>expect:</c> claim reads as
    /// written (<c>w1.x &gt; 0</c>, not <c>w1.x \u003E 0</c>). The file is data, never embedded in HTML.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] ToUtf8Bytes(RunSummary summary)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, summary, SummaryJsonContext.Default.RunSummary);
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Writes the file atomically (a partial file never appears under the final name).</summary>
    public static void Write(string path, RunSummary summary) => AtomicFile.Write(path, ToUtf8Bytes(summary));

    public static RunSummary Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, SummaryJsonContext.Default.RunSummary)
        ?? throw new JsonException("summary.json holds null.");

    public static RunSummary Read(string path) => Parse(File.ReadAllBytes(path));
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    IndentSize = 2,
    NewLine = "\n",
    RespectRequiredConstructorParameters = true,
    // An expect: value can be NaN (0/0); JSON has no NaN, so it is written as the string "NaN".
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(SecondsJsonConverter), typeof(InstantJsonConverter)])]
[JsonSerializable(typeof(RunSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;

/// <summary>A duration as a JSON number of seconds, six decimals.</summary>
internal sealed class SecondsJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(SecondsJson.ReadTicks(ref reader));

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        SecondsJson.WriteTicks(writer, value.Ticks);
}

/// <summary>An instant as a JSON number of seconds since the start of the run, six decimals.</summary>
internal sealed class InstantJsonConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(SecondsJson.ReadTicks(ref reader));

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        SecondsJson.WriteTicks(writer, value.Ticks);
}

internal static class SecondsJson
{
    public static void WriteTicks(Utf8JsonWriter writer, long ticks)
    {
        Span<byte> text = stackalloc byte[SecondsText.MaxLength];
        SecondsText.TryFormat(ticks, text, out int written);
        writer.WriteRawValue(text[..written], skipInputValidation: true);
    }

    public static long ReadTicks(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || reader.HasValueSequence || !SecondsText.TryParse(reader.ValueSpan, out long ticks))
            throw new JsonException("Expected a number of seconds such as 12.345678.");
        return ticks;
    }
}
