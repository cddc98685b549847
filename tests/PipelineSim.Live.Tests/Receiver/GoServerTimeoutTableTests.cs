using System.Net.Sockets;
using System.Text;
using PipelineSim.Core.Options;
using PipelineSim.Core.Server;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Spec;
using PipelineSim.TestTables;

namespace PipelineSim.Live.Tests.Receiver;

/// <summary>
/// The live receiver on Kestrel against the shared Go http.Server table (tests/Shared/GoServerTimeoutTable.cs), the
/// same rows the simulator is checked against. Time is a <see cref="ManualTimeProvider"/>: the test moves it to the
/// row's instant to the tick, so Core's deadlines fire exactly there; sockets are real (loopback, raw HTTP/1.1).
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class GoServerTimeoutTableTests
{
    private static readonly TimeSpan HandlerDelay = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan SocketPatience = TimeSpan.FromSeconds(20);

    /// <summary>pyroscope.receive_http has no read-header timeout (Alloy leaves it zero): those rows are Core's and the simulator's.</summary>
    public static TheoryData<string> RowNames() =>
        [.. GoServerTimeoutTable.Rows.Where(r => r.Timeouts.ReadHeader == TimeSpan.Zero).Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RowNames))]
    public async Task The_live_receiver_follows_each_row(string name)
    {
        var row = GoServerTimeoutTable.Rows.Single(r => r.Name == name);
        var time = new ManualTimeProvider();
        var context = new LiveContext(new LiveClock(1.0, time));
        await using var receiver = await LiveReceiver.StartAsync(new ReceiverSpec
        {
            Name = "r",
            Http = new ReceiveHttpOptions
            {
                ListenPort = 0,
                ServerReadTimeout = row.Timeouts.Read,
                ServerWriteTimeout = row.Timeouts.Write,
                ServerIdleTimeout = row.Timeouts.Idle,
            },
            HandlerTime = row.Story == ServerStory.HandlerRuns ? Distributions.Constant(HandlerDelay.TotalSeconds) : null,
        }, context);

        using var socket = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)SocketPatience.TotalMilliseconds,
        };
        await socket.ConnectAsync(receiver.EndPoint);
        var start = time.Elapsed;
        string outcome;
        switch (row.Story)
        {
            case ServerStory.FirstRequestAfter:
                await UntilTimerAt(time, start, row.Timeouts.EffectiveReadHeader, "the connection's header deadline");
                time.Advance(row.Wait);
                outcome = await ExchangeAsync(socket);
                break;
            case ServerStory.HandlerRuns:
                Send(socket);
                await UntilTimerAt(time, start, HandlerDelay, "the handler's delay");
                time.Advance(row.Wait); // the handler finishes exactly Wait after its headers were read
                outcome = Support.ResponseHead.Receive(socket);
                break;
            default:
                Assert.Equal("answered", await ExchangeAsync(socket));
                await UntilTimerAt(time, start, row.Timeouts.EffectiveIdle, "the connection's idle deadline");
                time.Advance(row.Wait);
                outcome = await ExchangeAsync(socket);
                break;
        }
        Assert.Equal(row.Expected == ServerAnswer.Answered ? "answered" : "closed", outcome);
    }

    /// <summary>Waits (real time, bounded) until the server has armed a timer at start + <paramref name="after"/>; none to wait for when zero.</summary>
    private static Task UntilTimerAt(ManualTimeProvider time, TimeSpan start, TimeSpan after, string what) =>
        after == TimeSpan.Zero ? Task.CompletedTask : Support.Live.Eventually(() => time.HasTimerAt(start + after), SocketPatience, what);

    private static Task<string> ExchangeAsync(Socket socket)
    {
        try
        {
            Send(socket);
        }
        catch (SocketException)
        {
            return Task.FromResult("closed");
        }
        return Task.FromResult(Support.ResponseHead.Receive(socket));
    }

    private static void Send(Socket socket) =>
        socket.Send(Encoding.ASCII.GetBytes("POST /ingest HTTP/1.1\r\nHost: r\r\nContent-Length: 0\r\n\r\n"));
}
