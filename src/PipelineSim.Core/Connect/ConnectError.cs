namespace PipelineSim.Core.Connect;

/// <summary>
/// What one attempt failed with: a Connect error (code and message), or on the <c>/ingest</c> path a plain HTTP
/// status (Alloy's <c>PyroscopeWriteError</c>), which <see cref="Retry.RetryPolicy"/> judges by status instead.
/// </summary>
public sealed record ConnectError(ConnectCode Code, string Message)
{
    /// <summary>The context deadline passing, as connect-go reports it whatever the transport was doing.</summary>
    public static ConnectError DeadlineExceeded { get; } = new(ConnectCode.DeadlineExceeded, "context deadline exceeded");

    /// <summary>The caller's context canceled (its client hung up), as Go's context package words it.</summary>
    public static ConnectError Canceled { get; } = new(ConnectCode.Canceled, "context canceled");

    /// <summary>Set only for an <c>/ingest</c> response that was not 200.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>An <c>/ingest</c> failure: keeps the status; the code is what a Connect client would infer from it.</summary>
    public static ConnectError FromHttpStatus(int status, string message) =>
        new(ConnectCodes.FromHttpStatus(status), message) { HttpStatus = status };

    /// <summary>Go's <c>Error()</c>: connect-go's <c>code: message</c>, or PyroscopeWriteError's text for ingest errors.</summary>
    public override string ToString()
    {
        if (HttpStatus is int status) return $"pyroscope write error: status={status} msg={Message}";
        string code = ConnectCodes.Name(Code);
        return Message.Length == 0 ? code : code + ": " + Message;
    }
}
