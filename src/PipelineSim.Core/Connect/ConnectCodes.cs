using System.Diagnostics.CodeAnalysis;

namespace PipelineSim.Core.Connect;

/// <summary>Connect code names and the two HTTP mappings of connect-go (connectrpc/connect-go code.go and protocol.go).</summary>
public static class ConnectCodes
{
    private static readonly string[] Names =
    [
        "ok", "canceled", "unknown", "invalid_argument", "deadline_exceeded", "not_found", "already_exists",
        "permission_denied", "resource_exhausted", "failed_precondition", "aborted", "out_of_range",
        "unimplemented", "internal", "unavailable", "data_loss", "unauthenticated",
    ];

    /// <summary>How many codes connect-go defines, <see cref="ConnectCode.Ok"/> included: codes are 0 to Count - 1.</summary>
    public static int Count => Names.Length;

    /// <summary>The wire name (<c>deadline_exceeded</c>); <see cref="ConnectCode.Ok"/> is <c>ok</c>.</summary>
    public static string Name(ConnectCode code) =>
        (uint)code < (uint)Names.Length ? Names[(int)code] : $"code_{(uint)code}"; // connect-go's form for unknown codes

    public static bool TryParse([NotNullWhen(true)] string? name, out ConnectCode code)
    {
        int index = Array.IndexOf(Names, name);
        code = index >= 0 ? (ConnectCode)index : ConnectCode.Unknown;
        return index >= 0;
    }

    /// <summary>The status a Connect unary server answers with for an error code (connect-go connectCodeToHTTP).</summary>
    public static int ToHttpStatus(ConnectCode code) => code switch
    {
        ConnectCode.Ok => 200,
        ConnectCode.Canceled => 499,
        ConnectCode.Unknown => 500,
        ConnectCode.InvalidArgument => 400,
        ConnectCode.DeadlineExceeded => 504,
        ConnectCode.NotFound => 404,
        ConnectCode.AlreadyExists => 409,
        ConnectCode.PermissionDenied => 403,
        ConnectCode.ResourceExhausted => 429,
        ConnectCode.FailedPrecondition => 400,
        ConnectCode.Aborted => 409,
        ConnectCode.OutOfRange => 400,
        ConnectCode.Unimplemented => 501,
        ConnectCode.Internal => 500,
        ConnectCode.Unavailable => 503,
        ConnectCode.DataLoss => 500,
        ConnectCode.Unauthenticated => 401,
        _ => 500,
    };

    /// <summary>
    /// The code a Connect client infers from a non-200 status when the body carries no usable error JSON
    /// (connect-go httpToCode). 200 maps to <see cref="ConnectCode.Ok"/>.
    /// </summary>
    public static ConnectCode FromHttpStatus(int status) => status switch
    {
        200 => ConnectCode.Ok,
        400 => ConnectCode.Internal,
        401 => ConnectCode.Unauthenticated,
        403 => ConnectCode.PermissionDenied,
        404 => ConnectCode.Unimplemented,
        429 or 502 or 503 or 504 => ConnectCode.Unavailable,
        _ => ConnectCode.Unknown,
    };
}
