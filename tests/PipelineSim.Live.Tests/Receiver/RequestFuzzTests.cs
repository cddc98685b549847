using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Live.Receiver;
using PipelineSim.Spec;
using Xunit.Abstractions;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// A fuzz layer over the live receiver: 300 requests (fixed seed) made from valid pushes and ingests by mutating the
/// method, path, headers, body and framing, sent over raw sockets. Whatever a client sends, the receiver answers
/// with a proper response (a Connect JSON error on the Push route) and never a 500, which would blame itself for
/// the client's fault and make Alloy retry; and it keeps serving.
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public sealed class RequestFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261206;
    private const int Requests = 300;
    private const string PushPath = "/push.v1.PusherService/Push";

    private LiveReceiver receiver = null!;

    public async Task InitializeAsync() =>
        receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions { ListenPort = 0, ConnLimit = 8 },
            MaxRequestBodyBytes = 64 * 1024,
        }, new LiveContext());

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Mutated_requests_get_proper_answers_and_never_a_500()
    {
        var random = new Random(Seed);
        var problems = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (int i = 0; i < Requests; i++)
        {
            var request = Mutate(Base(random), random);
            var answer = await SendAsync(request);
            if (answer.Status is int status) statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (Judge(request, answer) is string problem) problems.Add($"#{i} {request.Describe()}: {problem}");
        }
        output.WriteLine(string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        // A few requests of each kind of answer, so the mutations really reach the handler's checks.
        Assert.True(statuses.GetValueOrDefault(200) > 0 && statuses.GetValueOrDefault(400) > 0, string.Join(", ", statuses));

        var ok = await SendAsync(new FuzzRequest("POST", PushPath, [("Content-Type", "application/proto")],
            Support.Live.Push().ToByteArray(), Framing.ContentLength));
        Assert.Equal(200, ok.Status);
    }

    /// <summary>What the receiver must never do with a client's request, or null when the answer is acceptable.</summary>
    private static string? Judge(FuzzRequest request, Answer answer)
    {
        if (answer.Status is not int status)
            return request.Framing == Framing.Broken ? null : "no response";
        if (status >= 500 && status != 501) return $"answered {status}: {answer.Body}";
        bool connectRoute = request.Path == PushPath && request.Method == "POST";
        if (!connectRoute || status is 200 or 415 || request.Framing == Framing.Broken) return null;
        // Every other error on the Push route is a Connect unary error: JSON with a code that matches the status.
        if (!(answer.ContentType ?? "").StartsWith("application/json", StringComparison.Ordinal))
            return $"answered {status} with {answer.ContentType ?? "no content type"}: {answer.Body}";
        try
        {
            using var json = JsonDocument.Parse(answer.Body);
            string? code = json.RootElement.GetProperty("code").GetString();
            if (!ConnectCodes.TryParse(code, out var parsed)) return $"unknown code \"{code}\"";
            int expected = parsed == ConnectCode.ResourceExhausted ? 413 : ConnectCodes.ToHttpStatus(parsed);
            return expected == status ? null : $"code {code} with status {status}";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"answered {status} with a body that is not a Connect error: {answer.Body}";
        }
    }

    private enum Framing { ContentLength, Chunked, Broken }

    private sealed record FuzzRequest(string Method, string Path, List<(string Name, string Value)> Headers, byte[] Body, Framing Framing)
    {
        public string Describe() =>
            $"{Method} {Path} [{string.Join("; ", Headers.Select(h => $"{h.Name}: {h.Value}"))}] {Body.Length} bytes {Framing}";
    }

    private readonly record struct Answer(int? Status, string? ContentType, string Body);

    private static FuzzRequest Base(Random random)
    {
        var push = Support.Live.Push(series: random.Next(1, 4), bytes: random.Next(0, 512));
        switch (random.Next(4))
        {
            case 0:
                return new FuzzRequest("POST", PushPath, [("Content-Type", "application/proto"), ("Connect-Timeout-Ms", "5000")],
                    push.ToByteArray(), Framing.ContentLength);
            case 1:
                return new FuzzRequest("POST", PushPath, [("Content-Type", "application/json"), ("Connect-Protocol-Version", "1")],
                    Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(push)), Framing.ContentLength);
            case 2:
                return new FuzzRequest("POST", PushPath, [("Content-Type", "application/proto"), ("Content-Encoding", "gzip")],
                    Gzip(push.ToByteArray()), Framing.ContentLength);
            default:
                return new FuzzRequest("POST", "/ingest?name=app%7Benv%3Dprod%7D&format=pprof",
                    [("Content-Type", "application/octet-stream")], Gzip(new byte[random.Next(0, 2048)]), Framing.ContentLength);
        }
    }

    private static FuzzRequest Mutate(FuzzRequest request, Random random)
    {
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            request = random.Next(12) switch
            {
                0 => request with { Body = FlipBytes(request.Body, random) },
                1 => request with { Body = request.Body[..random.Next(0, request.Body.Length + 1)] },
                2 => request with { Body = [.. request.Body, .. RandomBytes(random, random.Next(1, 64))] },
                3 => request with { Body = RandomBytes(random, random.Next(0, 4096)) },
                4 => request with { Body = random.Next(2) == 0 ? [] : new byte[70 * 1024] }, // empty, or over the 64 KiB limit
                5 => WithHeader(request, "Content-Type", Pick(random, "application/proto", "application/json", "text/plain", "",
                    "application/proto; charset=utf-8", "application/connect+proto", "APPLICATION/JSON", "application/\u00e9")),
                6 => WithHeader(request, "Content-Encoding", Pick(random, "gzip", "br", "identity", "gzip, gzip", "deflate", "GZIP", "x")),
                7 => WithHeader(request, "Connect-Timeout-Ms", Pick(random, "0", "1", "-5", "abc", "99999999999", "1.5", "", " 10", "4294967296")),
                8 => WithHeader(request, Pick(random, "Connect-Protocol-Version", "X-PipelineSim-Sent-At", "X-PipelineSim-Push-Id",
                    "X-PipelineSim-Source"), Pick(random, "garbage", "-1", "clock@123", "99999999999999999999", "")),
                9 => request with
                {
                    Path = Pick(random, PushPath, "/ingest", "/", "/push.v1.PusherService/Other", PushPath + "?x=1", "/ingest?name=%zz",
                        "/PUSH.v1.PusherService/Push", "//ingest", "/ingest?" + new string('a', 2000))
                },
                10 => request with { Method = Pick(random, "GET", "PUT", "DELETE", "POST", "PATCH", "OPTIONS") },
                _ => request with { Framing = Pick(random, Framing.Chunked, Framing.Broken, Framing.ContentLength) },
            };
        }
        return request;
    }

    private static FuzzRequest WithHeader(FuzzRequest request, string name, string value) =>
        request with { Headers = [.. request.Headers.Where(h => !h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)), (name, value)] };

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] FlipBytes(byte[] body, Random random)
    {
        var copy = (byte[])body.Clone();
        for (int i = 0, flips = random.Next(1, 8); i < flips && copy.Length > 0; i++) copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
        return copy;
    }

    private static byte[] Gzip(byte[] plain)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain);
        return compressed.ToArray();
    }

    /// <summary>Writes the request as raw HTTP/1.1 (with <c>Connection: close</c>) and reads the answer to EOF.</summary>
    private async Task<Answer> SendAsync(FuzzRequest request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(receiver.EndPoint);
        var head = new StringBuilder($"{request.Method} {request.Path} HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
        foreach (var (name, value) in request.Headers) head.Append($"{name}: {value}\r\n");
        byte[] body = request.Body;
        switch (request.Framing)
        {
            case Framing.ContentLength:
                head.Append($"Content-Length: {body.Length}\r\n\r\n");
                break;
            case Framing.Chunked:
                head.Append("Transfer-Encoding: chunked\r\n\r\n");
                body = [.. Encoding.ASCII.GetBytes($"{body.Length:x}\r\n"), .. body, .. "\r\n0\r\n\r\n"u8.ToArray()];
                break;
            case Framing.Broken:
                // A Content-Length that promises more than arrives, then the client stops sending.
                head.Append($"Content-Length: {body.Length + 100}\r\n\r\n");
                break;
        }
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(head.ToString()), SocketFlags.None);
            if (body.Length > 0) await socket.SendAsync(body, SocketFlags.None);
            // Kestrel reads a client's FIN as the client going away (it cancels the request), so only a client that
            // broke its framing stops sending; the others wait for the answer and the server's close.
            if (request.Framing == Framing.Broken) socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The server may answer (413, 400) and close before the whole body is written.
        }
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, timeout.Token)) > 0) received.Write(buffer, 0, read);
        }
        catch (SocketException)
        {
            // A reset after the answer: keep what arrived.
        }
        return Parse(received.ToArray());
    }

    /// <summary>Status, content type and (de-chunked) body of a raw HTTP/1.1 response; no status when nothing came.</summary>
    private static Answer Parse(byte[] raw)
    {
        string text = Encoding.UTF8.GetString(raw);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || end < 0) return new Answer(null, null, text);
        var lines = text[..end].Split("\r\n");
        int status = int.Parse(lines[0].AsSpan(9, 3));
        string? Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2
            && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();
        string body = text[(end + 4)..];
        if (Header("Transfer-Encoding") == "chunked")
        {
            var plain = new StringBuilder();
            int at = 0;
            while (at < body.Length)
            {
                int lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (lineEnd < 0) break;
                if (!int.TryParse(body.AsSpan(at, lineEnd - at), System.Globalization.NumberStyles.HexNumber, null, out int size)
                    || size == 0) break;
                plain.Append(body, lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2));
                at = lineEnd + 2 + size + 2;
            }
            body = plain.ToString();
        }
        return new Answer(status, Header("Content-Type"), body);
    }
}
