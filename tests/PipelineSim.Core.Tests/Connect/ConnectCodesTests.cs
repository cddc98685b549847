using PipelineSim.Core.Connect;

namespace PipelineSim.Core.Tests.Connect;

public class ConnectCodesTests
{
    [Theory]
    [InlineData(ConnectCode.Ok, "ok")]
    [InlineData(ConnectCode.Canceled, "canceled")]
    [InlineData(ConnectCode.DeadlineExceeded, "deadline_exceeded")]
    [InlineData(ConnectCode.ResourceExhausted, "resource_exhausted")]
    [InlineData(ConnectCode.Unauthenticated, "unauthenticated")]
    public void Names_are_connect_wire_names(ConnectCode code, string name) =>
        Assert.Equal(name, ConnectCodes.Name(code));

    [Fact]
    public void Every_code_name_parses_back()
    {
        foreach (var code in Enum.GetValues<ConnectCode>())
        {
            Assert.True(ConnectCodes.TryParse(ConnectCodes.Name(code), out var parsed));
            Assert.Equal(code, parsed);
        }
    }

    [Theory]
    [InlineData("DEADLINE_EXCEEDED")]
    [InlineData("deadline exceeded")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_names_do_not_parse(string? name) => Assert.False(ConnectCodes.TryParse(name, out _));

    [Fact]
    public void A_code_outside_the_table_is_named_like_connect_go() =>
        Assert.Equal("code_99", ConnectCodes.Name((ConnectCode)99));

    [Theory]
    [InlineData(ConnectCode.Ok, 200)]
    [InlineData(ConnectCode.Canceled, 499)]
    [InlineData(ConnectCode.Unknown, 500)]
    [InlineData(ConnectCode.InvalidArgument, 400)]
    [InlineData(ConnectCode.DeadlineExceeded, 504)]
    [InlineData(ConnectCode.NotFound, 404)]
    [InlineData(ConnectCode.AlreadyExists, 409)]
    [InlineData(ConnectCode.PermissionDenied, 403)]
    [InlineData(ConnectCode.ResourceExhausted, 429)]
    [InlineData(ConnectCode.FailedPrecondition, 400)]
    [InlineData(ConnectCode.Aborted, 409)]
    [InlineData(ConnectCode.OutOfRange, 400)]
    [InlineData(ConnectCode.Unimplemented, 501)]
    [InlineData(ConnectCode.Internal, 500)]
    [InlineData(ConnectCode.Unavailable, 503)]
    [InlineData(ConnectCode.DataLoss, 500)]
    [InlineData(ConnectCode.Unauthenticated, 401)]
    [InlineData((ConnectCode)99, 500)]
    public void Code_to_http_status_matches_connect_go(ConnectCode code, int status) =>
        Assert.Equal(status, ConnectCodes.ToHttpStatus(code));

    [Theory]
    [InlineData(200, ConnectCode.Ok)]
    [InlineData(400, ConnectCode.Internal)]
    [InlineData(401, ConnectCode.Unauthenticated)]
    [InlineData(403, ConnectCode.PermissionDenied)]
    [InlineData(404, ConnectCode.Unimplemented)]
    [InlineData(429, ConnectCode.Unavailable)]
    [InlineData(502, ConnectCode.Unavailable)]
    [InlineData(503, ConnectCode.Unavailable)]
    [InlineData(504, ConnectCode.Unavailable)]
    [InlineData(408, ConnectCode.Unknown)]
    [InlineData(500, ConnectCode.Unknown)]
    [InlineData(501, ConnectCode.Unknown)]
    public void Http_status_to_code_matches_connect_go(int status, ConnectCode code) =>
        Assert.Equal(code, ConnectCodes.FromHttpStatus(status));
}
