using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using PipelineSim.Core.Connect;

namespace PipelineSim.Live.Connect;

/// <summary>The two codecs a Connect unary call may use, named by its <c>Content-Type</c>.</summary>
public enum ConnectCodec { Proto, Json }

/// <summary>
/// The parts of the Connect protocol's unary flavour (connect-go protocol_connect.go; grafana/pyroscope api/push/v1/push.proto) that
/// both ends of a live push need: content types, message bodies and the JSON error format.
/// </summary>
public static class ConnectUnary
{
    public const string ProtoContentType = "application/proto";
    public const string JsonContentType = "application/json";
    public const string ProtocolVersionHeader = "Connect-Protocol-Version";

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary><c>application/proto</c> or <c>application/json</c>, parameters such as charset ignored.</summary>
    public static ConnectCodec? CodecOf(string? contentType)
    {
        if (contentType is null) return null;
        int semicolon = contentType.IndexOf(';');
        string media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        if (media.Equals(ProtoContentType, StringComparison.OrdinalIgnoreCase)) return ConnectCodec.Proto;
        if (media.Equals(JsonContentType, StringComparison.OrdinalIgnoreCase)) return ConnectCodec.Json;
        return null;
    }

    public static string ContentTypeOf(ConnectCodec codec) => codec == ConnectCodec.Proto ? ProtoContentType : JsonContentType;

    /// <summary>Decodes a request body; a malformed body is <c>invalid_argument</c>, as connect-go reports an unmarshal failure.</summary>
    public static bool TryDecode<T>(ReadOnlyMemory<byte> body, ConnectCodec codec, MessageParser<T> parser, out T message,
        out ConnectError? error) where T : IMessage<T>, new()
    {
        try
        {
            message = codec == ConnectCodec.Proto
                ? parser.ParseFrom(body.Span)
                : Parser.Parse<T>(Encoding.UTF8.GetString(body.Span));
            error = null;
            return true;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            message = new T();
            error = new ConnectError(ConnectCode.InvalidArgument,
                $"unmarshal into {message.Descriptor.FullName}: {e.Message}");
            return false;
        }
    }

    public static byte[] Encode(IMessage message, ConnectCodec codec) =>
        codec == ConnectCodec.Proto ? message.ToByteArray() : Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(message));

    /// <summary>
    /// The answer to a Content-Type no codec speaks (Core's <see cref="Core.Backend.RequestFault.UnsupportedMediaType"/>):
    /// connect-go's bare 415 with the types it accepts, from every server the project runs.
    /// </summary>
    public static Task WriteUnsupportedMediaTypeAsync(HttpResponse response)
    {
        response.StatusCode = Core.Backend.RequestFaults.Answer(Core.Backend.RequestFault.UnsupportedMediaType).HttpStatus;
        response.Headers["Accept-Post"] = $"{ProtoContentType}, {JsonContentType}";
        return Task.CompletedTask;
    }

    /// <summary>A unary error: the status from Core's code mapping and <c>{"code":…,"message":…}</c> as JSON.</summary>
    public static Task WriteErrorAsync(HttpResponse response, ConnectError error, int? status = null)
    {
        response.StatusCode = status ?? ConnectCodes.ToHttpStatus(error.Code);
        response.ContentType = JsonContentType;
        return response.Body.WriteAsync(ErrorBody(error)).AsTask();
    }

    public static byte[] ErrorBody(ConnectError error)
    {
        using var buffer = new MemoryStream();
        // Go's encoding/json leaves quotes and non-ASCII readable; the default encoder here would write \u0022.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("code", ConnectCodes.Name(error.Code));
            if (error.Message.Length > 0) json.WriteString("message", error.Message);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// What a Connect client makes of a non-200 unary response: the code in an error JSON body wins; otherwise the
    /// code inferred from the status (Core's <see cref="ConnectCodes.FromHttpStatus"/>), as connect-go does.
    /// </summary>
    public static ConnectError ErrorFromResponse(int status, string reasonPhrase, string? contentType, ReadOnlySpan<byte> body)
    {
        if (CodecOf(contentType) == ConnectCodec.Json && TryReadErrorJson(body, out var fromJson)) return fromJson;
        return new ConnectError(ConnectCodes.FromHttpStatus(status), $"HTTP status {status} {reasonPhrase}".TrimEnd());
    }

    private static bool TryReadErrorJson(ReadOnlySpan<byte> body, out ConnectError error)
    {
        error = ConnectError.DeadlineExceeded;
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String
                || !ConnectCodes.TryParse(code.GetString(), out var parsed) || parsed == ConnectCode.Ok)
                return false;
            string message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                ? m.GetString() ?? "" : "";
            error = new ConnectError(parsed, message);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
