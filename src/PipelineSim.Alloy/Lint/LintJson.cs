using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PipelineSim.Alloy.Lint;

/// <summary>
/// <c>lint --format json</c>: a stable document for CI. Version 1 has, in this order: <c>version</c>,
/// <c>exit_code</c>, <c>files</c>, <c>errors</c> (syntax errors, <c>file:line:col: message</c>) and <c>findings</c>,
/// each with <c>code</c>, <c>severity</c>, <c>at</c> (<c>file:line:col</c> list), <c>message</c>, <c>why</c>,
/// <c>fix</c> and <c>figures</c> (an object of strings). Findings keep the report's order; nothing varies run to run.
/// </summary>
public static class LintJson
{
    public const int Version = 1;

    public static string Write(LintReport report)
    {
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteNumber("exit_code", report.ExitCode);
            json.WriteStartArray("files");
            foreach (string file in report.Files) json.WriteStringValue(file);
            json.WriteEndArray();
            json.WriteStartArray("errors");
            foreach (var error in report.SyntaxErrors) json.WriteStringValue(error.ToString());
            json.WriteEndArray();
            json.WriteStartArray("findings");
            foreach (var finding in report.Findings)
            {
                json.WriteStartObject();
                json.WriteString("code", finding.Code);
                json.WriteString("severity", finding.Severity.ToString().ToLowerInvariant());
                json.WriteStartArray("at");
                foreach (var at in finding.At) json.WriteStringValue(at.ToString());
                json.WriteEndArray();
                json.WriteString("message", finding.Message);
                json.WriteString("why", finding.Why);
                json.WriteString("fix", finding.Fix);
                json.WriteStartObject("figures");
                foreach (var (key, value) in finding.Figures) json.WriteString(key, value);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).Replace("\r\n", "\n") + "\n";
    }
}
