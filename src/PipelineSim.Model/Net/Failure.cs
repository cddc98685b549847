using PipelineSim.Core.Connect;

namespace PipelineSim.Model.Net;

/// <summary>
/// Why an attempt failed, as connect-go reports it, with Go's error text computed once: attempts fail in the
/// millions and their records carry the text.
/// </summary>
internal sealed class Failure
{
    private static readonly Failure?[] ByCode = new Failure?[ConnectCodes.Count];

    private Failure(ConnectError error)
    {
        Error = error;
        Text = error.ToString();
    }

    public ConnectError Error { get; }

    public ConnectCode Code => Error.Code;

    public string Text { get; }

    /// <summary>The attempt's context reached its deadline, whatever the transport was doing.</summary>
    public static Failure DeadlineExceeded { get; } = new(ConnectError.DeadlineExceeded);

    /// <summary>The caller's context was canceled (a receiver's client hung up).</summary>
    public static Failure Canceled { get; } = new(new ConnectError(ConnectCode.Canceled, "context canceled"));

    /// <summary>A reset on a connection in use (a middlebox that forgot the flow, a restarted peer).</summary>
    public static Failure ConnectionReset { get; } =
        new(new ConnectError(ConnectCode.Unavailable, "read tcp: read: connection reset by peer"));

    /// <summary>The connection closed before a response: connect-go maps io.EOF to io.ErrUnexpectedEOF.</summary>
    public static Failure UnexpectedEof { get; } = new(new ConnectError(ConnectCode.Unavailable, "unexpected EOF"));

    /// <summary>Nothing listens at the target (it is restarting or down): the SYN is answered with a reset.</summary>
    public static Failure ConnectionRefused { get; } =
        new(new ConnectError(ConnectCode.Unavailable, "dial tcp: connect: connection refused"));

    /// <summary>Every SYN retransmission went unanswered (tcp_syn_retries).</summary>
    public static Failure DialTimedOut { get; } =
        new(new ConnectError(ConnectCode.Unavailable, "dial tcp: connect: connection timed out"));

    /// <summary>Unacknowledged data was retransmitted tcp_retries2 times without an answer.</summary>
    public static Failure RetransmitTimedOut { get; } =
        new(new ConnectError(ConnectCode.Unavailable, "read tcp: read: connection timed out"));

    /// <summary>HTTP/2's health-check ping went unanswered: the connection is closed under its streams.</summary>
    public static Failure Http2ConnectionLost { get; } =
        new(new ConnectError(ConnectCode.Unavailable, "http2: client connection lost"));

    /// <summary>pyroscope.receive_http's answer when a forward_to target failed: 500 with code internal.</summary>
    public static Failure ForwardFailed { get; } =
        new(new ConnectError(ConnectCode.Internal, "unable to append series to appendable"));

    /// <summary>An answer without Connect error JSON (a load balancer's own 502/503/504): the client infers the code from the status.</summary>
    public static Failure FromPlainStatus(int status) => status switch
    {
        502 => BadGateway,
        503 => ServiceUnavailable,
        504 => GatewayTimeout,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No cached failure for this status."),
    };

    private static readonly Failure BadGateway = Plain(502, "Bad Gateway");
    private static readonly Failure ServiceUnavailable = Plain(503, "Service Unavailable");
    private static readonly Failure GatewayTimeout = Plain(504, "Gateway Timeout");

    /// <summary>A server's own Connect error (a receiver's refusal of a body over its limit); keep the instance.</summary>
    public static Failure Of(ConnectError error) => new(error);

    /// <summary>A server's Connect error with this code (one cached instance per code).</summary>
    public static Failure OfCode(ConnectCode code)
    {
        if (code == ConnectCode.Ok) throw new ArgumentException("Ok is not a failure.", nameof(code));
        return ByCode[(int)code] ??= new Failure(new ConnectError(code, ServerMessage(code)));
    }

    private static Failure Plain(int status, string text) =>
        new(new ConnectError(ConnectCodes.FromHttpStatus(status), $"HTTP status {status} {text}"));

    private static string ServerMessage(ConnectCode code) => code switch
    {
        ConnectCode.ResourceExhausted => "ingestion rate limit exceeded",
        ConnectCode.Unavailable => "service unavailable",
        _ => "backend error",
    };
}
