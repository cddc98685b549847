using Google.Protobuf;
using PipelineSim.Core.Connect;
using PipelineSim.Live.Connect;
using PipelineSim.Live.Wire;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Wire;

[Trait(LiveTrait.Name, LiveTrait.Value)]
public class WireFormatTests
{
    [Fact]
    public void A_push_request_encodes_with_Pyroscopes_field_numbers()
    {
        var push = new PushRequest
        {
            Series =
            {
                new RawProfileSeries
                {
                    Labels = { new LabelPair { Name = "a", Value = "b" } },
                    Samples = { new RawSample { RawProfile = ByteString.CopyFrom(1, 2), ID = "x" } },
                },
            },
        };
        // series=1 { labels=1 { name=1 "a", value=2 "b" }, samples=2 { raw_profile=1 [1 2], ID=2 "x" } }
        byte[] expected = [0x0A, 17, 0x0A, 6, 0x0A, 1, (byte)'a', 0x12, 1, (byte)'b', 0x12, 7, 0x0A, 2, 1, 2, 0x12, 1, (byte)'x'];
        Assert.Equal(expected, push.ToByteArray());
        Assert.Equal("push.v1.PushRequest", PushRequest.Descriptor.FullName);
        Assert.Equal("types.v1.LabelPair", LabelPair.Descriptor.FullName);
    }

    [Fact]
    public void Json_uses_protojson_names()
    {
        var push = new PushRequest { Series = { new RawProfileSeries { Samples = { new RawSample { RawProfile = ByteString.CopyFrom(255) } } } } };
        string json = System.Text.Encoding.UTF8.GetString(ConnectUnary.Encode(push, ConnectCodec.Json));
        Assert.Contains("\"rawProfile\": \"/w==\"", json);
        Assert.True(ConnectUnary.TryDecode(System.Text.Encoding.UTF8.GetBytes(json), ConnectCodec.Json, PushRequest.Parser, out var back, out _));
        Assert.Equal(push, back);
    }

    [Theory]
    [InlineData(503, "Service Unavailable", "application/json", "{\"code\":\"resource_exhausted\",\"message\":\"slow down\"}", ConnectCode.ResourceExhausted, "slow down")]
    [InlineData(503, "Service Unavailable", "text/plain", "overloaded", ConnectCode.Unavailable, "HTTP status 503 Service Unavailable")]
    [InlineData(400, "Bad Request", "application/json", "not json", ConnectCode.Internal, "HTTP status 400 Bad Request")]
    [InlineData(404, "Not Found", "application/json", "{\"code\":\"bogus\"}", ConnectCode.Unimplemented, "HTTP status 404 Not Found")]
    public void A_client_reads_error_responses_as_connect_go_does(int status, string reason, string type, string body, ConnectCode code, string message) =>
        Assert.Equal(new ConnectError(code, message), ConnectUnary.ErrorFromResponse(status, reason, type, System.Text.Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Error_json_round_trips_and_uses_the_HTTP_mapping()
    {
        var error = new ConnectError(ConnectCode.DeadlineExceeded, "too late");
        Assert.Equal("{\"code\":\"deadline_exceeded\",\"message\":\"too late\"}", System.Text.Encoding.UTF8.GetString(ConnectUnary.ErrorBody(error)));
        Assert.Equal(error, ConnectUnary.ErrorFromResponse(ConnectCodes.ToHttpStatus(error.Code), "Gateway Timeout",
            "application/json", ConnectUnary.ErrorBody(error)));
    }
}
