using PipelineSim.Core.Connect;

namespace PipelineSim.Core.Server;

/// <summary>
/// A receiver's bound on one request body, and its answer to a body over it. Alloy's <c>pyroscope.receive_http</c>
/// sets no bound of its own; PipelineSim's receivers have one so that one client cannot take the process's memory
/// (<c>ReceiverSpec.MaxRequestBodyBytes</c>, 64 MiB by default). The answer is HTTP 413 with Connect code
/// <c>resource_exhausted</c>: connect-go's answer to a message over a handler's <c>WithReadMaxBytes</c>
/// (connectrpc/connect-go <c>protocol_connect.go</c>, "message size %d is larger than configured max %d"), so a
/// <c>pyroscope.write</c> client treats it as it treats a 429 (retried when <c>retry_on_http_429</c> is on).
/// The backend answers its own limit differently (Core's <c>RequestFaults</c>: 413 <c>invalid_argument</c>).
/// </summary>
/// <remarks>
/// The simulator asks <see cref="Admits"/> with a push's profile bytes; the live receiver with the body's bytes as
/// sent and, for a gzip body, as inflated. A live body carries a few hundred bytes of labels and protobuf framing per
/// series on top of its profile bytes, so pushes within that much of the bound can be answered differently.
/// </remarks>
public readonly record struct RequestBodyLimit(long MaxBytes)
{
    /// <summary>413 Content Too Large, the status of the answer.</summary>
    public const int HttpStatus = 413;

    /// <summary>The Connect code of the answer.</summary>
    public const ConnectCode Code = ConnectCode.ResourceExhausted;

    /// <summary>Whether a body of <paramref name="bytes"/> may be read: at most <see cref="MaxBytes"/>.</summary>
    public bool Admits(long bytes) => bytes <= MaxBytes;

    /// <summary>The error a body over the bound is answered with; <paramref name="what"/> says which size passed it ("request body").</summary>
    public ConnectError Refusal(string what = "request body") => new(Code, $"{what} larger than {MaxBytes} bytes");
}
