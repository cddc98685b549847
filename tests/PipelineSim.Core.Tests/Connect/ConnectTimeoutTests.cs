using FsCheck.Xunit;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Tests.Connect;

public class ConnectTimeoutTests
{
    private static readonly Instant Now = Instant.FromSeconds(42);

    private static Deadline In(double milliseconds) =>
        Deadline.At(Now + TimeSpan.FromTicks((long)Math.Round(milliseconds * TimeSpan.TicksPerMillisecond)));

    [Theory]
    [InlineData(9999.7, "9999")]
    [InlineData(10000, "10000")]
    [InlineData(1, "1")]
    [InlineData(1.99, "1")]
    [InlineData(9_999_999_999.0, "9999999999")]
    public void Encodes_remaining_time_truncated_to_whole_milliseconds(double milliseconds, string header) =>
        Assert.Equal(header, ConnectTimeout.Encode(In(milliseconds), Now));

    [Theory]
    [InlineData(0.9)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_000_000_000.0)]
    public void Omits_the_header_below_one_millisecond_or_beyond_ten_digits(double milliseconds) =>
        Assert.Null(ConnectTimeout.Encode(In(milliseconds), Now));

    [Fact]
    public void Omits_the_header_without_a_deadline() => Assert.Null(ConnectTimeout.Encode(Deadline.None, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_absent_header_means_no_deadline(string? header)
    {
        Assert.True(ConnectTimeout.TryDecode(header, Now, out var deadline, out var error));
        Assert.Equal(Deadline.None, deadline);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("9999", 9999)]
    [InlineData("0", 0)]
    [InlineData("0009999999", 9_999_999)]
    [InlineData("+5", 5)]
    [InlineData("-5", -5)] // connect-go parses with strconv.ParseInt: a negative timeout is already expired
    public void Decodes_milliseconds_from_the_handler_start(string header, long milliseconds)
    {
        Assert.True(ConnectTimeout.TryDecode(header, Now, out var deadline, out var error));
        Assert.Null(error);
        Assert.Equal(Now + TimeSpan.FromMilliseconds(milliseconds), deadline.When);
        Assert.Equal(milliseconds <= 0, deadline.IsExpired(Now));
    }

    [Theory]
    [InlineData("12345678901", "parse timeout: \"12345678901\" has >10 digits")]
    [InlineData("abc", "parse timeout: strconv.ParseInt: parsing \"abc\": invalid syntax")]
    [InlineData("1.5", "parse timeout: strconv.ParseInt: parsing \"1.5\": invalid syntax")]
    [InlineData(" 5", "parse timeout: strconv.ParseInt: parsing \" 5\": invalid syntax")]
    [InlineData("-", "parse timeout: strconv.ParseInt: parsing \"-\": invalid syntax")]
    public void Rejects_malformed_headers_with_invalid_argument(string header, string message)
    {
        Assert.False(ConnectTimeout.TryDecode(header, Now, out var deadline, out var error));
        Assert.Equal(Deadline.None, deadline);
        Assert.Equal(new ConnectError(ConnectCode.InvalidArgument, message), error);
        Assert.Equal(400, ConnectCodes.ToHttpStatus(error!.Code));
    }

    [Property]
    public bool A_decoded_deadline_is_at_most_one_millisecond_earlier_than_the_sent_one(uint remainingTicks)
    {
        var sent = Deadline.At(Now + TimeSpan.FromTicks(remainingTicks));
        string? header = ConnectTimeout.Encode(sent, Now);
        if (header is null) return remainingTicks < TimeSpan.TicksPerMillisecond;
        ConnectTimeout.TryDecode(header, Now, out var received, out _);
        var lost = sent.When - received.When;
        return lost >= TimeSpan.Zero && lost < TimeSpan.FromMilliseconds(1);
    }

    [Theory]
    [InlineData(9999.7, 9999L)]
    [InlineData(1, 1L)]
    [InlineData(9_999_999_999.0, 9_999_999_999L)]
    [InlineData(0.9, null)]
    [InlineData(-5, null)]
    [InlineData(10_000_000_000.0, null)]
    public void Numeric_encoding_follows_the_header_rules(double milliseconds, long? expected)
    {
        Assert.Equal(expected, ConnectTimeout.EncodeMillis(In(milliseconds), Now));
        Assert.Equal(ConnectTimeout.Encode(In(milliseconds), Now), expected?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Numeric_decoding_matches_the_header_decoding()
    {
        ConnectTimeout.TryDecode("9999", Now, out var fromText, out _);
        Assert.Equal(fromText, ConnectTimeout.DecodeMillis(9999, Now));
        Assert.Equal(Deadline.None, ConnectTimeout.DecodeMillis(null, Now));
    }
}
