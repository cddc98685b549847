using PipelineSim.Core.Time;

namespace PipelineSim.Core.Server;

/// <summary>
/// When a Go server reads a request, which is where its <c>Connect-Timeout-Ms</c> starts to count: connect-go turns the
/// header into the handler's deadline once the request has been read (connectrpc/connect-go protocol_connect.go), and
/// <c>(*conn).serve</c> reads a request only from a connection its listener's <c>Accept</c> has returned (golang/go
/// src/net/http/server.go). A request on a connection accepted before it came is read on arrival; one that came while
/// its connection waited in the accept backlog (the receiver at <c>conn_limit</c>, or slow to accept) sits in the socket
/// buffer and is read when the connection is accepted. So the read is never before the accept.
/// </summary>
public static class RequestRead
{
    /// <summary>The later of the request's arrival and its connection's accept.</summary>
    public static Instant At(Instant arrived, Instant accepted) => arrived > accepted ? arrived : accepted;
}
