using System.Globalization;
using PipelineSim.Core.Time;

namespace PipelineSim.Core.Connect;

/// <summary>The <c>Connect-Timeout-Ms</c> header: how a deadline crosses the wire (connectrpc/connect-go protocol_connect.go).</summary>
public static class ConnectTimeout
{
    public const string HeaderName = "Connect-Timeout-Ms";

    private const int MaxDigits = 10;

    private const long MaxMillis = 9_999_999_999;

    /// <summary>
    /// The header value for a request sent at <paramref name="now"/>: the remaining time truncated to whole
    /// milliseconds. Null means the client leaves the header out: no deadline, less than 1 ms left, or more than
    /// 10 digits; the server then sees no deadline at all.
    /// </summary>
    public static string? Encode(Deadline deadline, Instant now) =>
        EncodeMillis(deadline, now) is long millis ? millis.ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// The header's value as a number, for a driver that carries it without text (the simulator): the same rules
    /// as <see cref="Encode"/>, null when the header is left out.
    /// </summary>
    public static long? EncodeMillis(Deadline deadline, Instant now)
    {
        if (!deadline.HasValue) return null;
        long millis = (deadline.When - now).Ticks / TimeSpan.TicksPerMillisecond;
        return millis > 0 && millis <= MaxMillis ? millis : null;
    }

    /// <summary>The deadline a server derives from a well-formed header value (<see cref="EncodeMillis"/>), none when absent.</summary>
    public static Deadline DecodeMillis(long? millis, Instant now) =>
        millis is long value ? Deadline.After(now, TimeSpan.FromMilliseconds(value)) : Deadline.None;

    /// <summary>
    /// The deadline a Connect server derives from the header when the handler starts at <paramref name="now"/>.
    /// Absent or empty means none. Like connect-go (strconv.ParseInt), a sign is accepted, so <c>-5</c> gives a
    /// deadline that has already passed; more than 10 characters or a non-integer is <c>invalid_argument</c>.
    /// </summary>
    public static bool TryDecode(string? header, Instant now, out Deadline deadline, out ConnectError? error)
    {
        deadline = Deadline.None;
        error = null;
        if (string.IsNullOrEmpty(header)) return true;
        if (header.Length > MaxDigits)
        {
            error = new ConnectError(ConnectCode.InvalidArgument, $"parse timeout: \"{header}\" has >10 digits");
            return false;
        }
        if (!long.TryParse(header, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long millis))
        {
            error = new ConnectError(ConnectCode.InvalidArgument,
                $"parse timeout: strconv.ParseInt: parsing \"{header}\": invalid syntax");
            return false;
        }
        deadline = Deadline.After(now, TimeSpan.FromMilliseconds(millis));
        return true;
    }
}
