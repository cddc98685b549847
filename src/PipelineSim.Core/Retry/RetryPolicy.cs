using PipelineSim.Core.Connect;

namespace PipelineSim.Core.Retry;

/// <summary><c>shouldRetry</c> of <c>pyroscope.write</c> at HEAD (grafana/alloy internal/component/pyroscope/write/write.go).</summary>
public static class RetryPolicy
{
    public static bool ShouldRetry(ConnectError error, bool retryOnHttp429)
    {
        // Alloy checks errors.Is(err, context.DeadlineExceeded) first; here that error always carries the
        // deadline_exceeded code, which the code table retries, so the order needs no separate step.
        if (error.HttpStatus is int status) return ShouldRetryStatus(status, retryOnHttp429);
        return error.Code switch
        {
            ConnectCode.DeadlineExceeded or ConnectCode.Unknown or ConnectCode.Internal or ConnectCode.Unavailable
                or ConnectCode.DataLoss or ConnectCode.Aborted => true,
            ConnectCode.ResourceExhausted => retryOnHttp429,
            _ => false,
        };
    }

    /// <summary>The <c>/ingest</c> path's PyroscopeWriteError: 429 by the flag, 408 and 5xx always, other statuses never.</summary>
    private static bool ShouldRetryStatus(int status, bool retryOnHttp429) => status switch
    {
        429 => retryOnHttp429,
        408 => true,
        >= 500 => true,
        _ => false,
    };
}
