using System.Net.Sockets;
using System.Text;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Live.Time;
using PipelineSim.Spec;
using PipelineSim.TestTables;

namespace PipelineSim.Live.Tests.Backend;

/// <summary>
/// The live backend stub's write deadline against the shared Go http.Server table's handler rows
/// (tests/Shared/GoServerTimeoutTable.cs), on a <see cref="ManualTimeProvider"/> so the handler ends exactly at the
/// row's instant. The simulator's backend goes through the same Core type (<c>GoServerTimeoutDriverTests</c>).
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BackendWriteTimeoutTableTests
{
    private static readonly TimeSpan Latency = TimeSpan.FromSeconds(0.5);

    /// <summary>The stub's scenario always sets a positive write timeout.</summary>
    public static TheoryData<string> RowNames() =>
        [.. GoServerTimeoutTable.Of(ServerStory.HandlerRuns).Where(r => r.Timeouts.Write > TimeSpan.Zero).Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RowNames))]
    public async Task The_backend_stub_answers_only_before_its_write_deadline(string name)
    {
        var row = GoServerTimeoutTable.Rows.Single(r => r.Name == name);
        var time = new ManualTimeProvider();
        var context = new LiveContext(new LiveClock(1.0, time));
        await using var backend = await BackendStub.StartAsync(new BackendSpec
        {
            Name = "pyroscope",
            Latency = Distributions.Constant(Latency.TotalSeconds),
            // The table's read deadline is the idle one here, as the rows were written for; the body is empty anyway.
            ServerReadTimeout = row.Timeouts.Idle,
            ServerIdleTimeout = row.Timeouts.Idle,
            ServerWriteTimeout = row.Timeouts.Write,
        }, context);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 20_000 };
        await socket.ConnectAsync(backend.EndPoint);
        socket.Send(Encoding.ASCII.GetBytes("POST /ingest HTTP/1.1\r\nHost: pyroscope\r\nContent-Length: 0\r\n\r\n"));
        var start = time.Elapsed;
        await Support.Live.Eventually(() => time.HasTimerAt(start + Latency), TimeSpan.FromSeconds(20), "the backend's service time");
        time.Advance(row.Wait); // the handler ends exactly Wait after the headers were read

        Assert.Equal(row.Expected == ServerAnswer.Answered ? "answered" : "closed", Support.ResponseHead.Receive(socket));
    }
}
