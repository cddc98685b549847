using PipelineSim.Core.Options;

namespace PipelineSim.Core.Pooling;

/// <summary>
/// What Go's <c>http.Transport</c> may do with a connection that has become free: a request finished with it, or,
/// since Go 1.23's detached dials (golang/go#59017), a dial completed after the request that started it gave up.
/// Both go through <c>tryPutIdleConn</c> (src/net/http/transport.go), which first refuses with
/// <c>errKeepAlivesDisabled</c> when keep-alives are off (or MaxIdleConnsPerHost is negative): such a connection is
/// closed, neither handed to another waiting request nor pooled.
/// </summary>
public static class FreeConnection
{
    /// <summary>True when a free connection may serve another request (a waiting one, or later from the idle pool).</summary>
    public static bool MayBeReused(HttpTransportOptions transport) =>
        !transport.DisableKeepAlives && transport.MaxIdleConnsPerHost >= 0;
}
