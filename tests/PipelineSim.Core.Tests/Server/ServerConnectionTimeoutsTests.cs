using PipelineSim.Core.Server;
using PipelineSim.Core.Time;
using PipelineSim.TestTables;

namespace PipelineSim.Core.Tests.Server;

public class ServerConnectionTimeoutsTests
{
    private static readonly Instant T0 = Instant.FromSeconds(100);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static readonly GoServerTimeouts Alloy = new()
    {
        Read = TimeSpan.FromSeconds(30), Write = TimeSpan.FromSeconds(30), Idle = TimeSpan.FromSeconds(120),
    };

    public static TheoryData<string> RowNames() => [.. GoServerTimeoutTable.Rows.Select(r => r.Name)];

    /// <summary>Core alone, driven through each story of the shared table.</summary>
    [Theory]
    [MemberData(nameof(RowNames))]
    public void Each_row_of_the_go_server_table(string name)
    {
        var row = GoServerTimeoutTable.Rows.Single(r => r.Name == name);
        Assert.Equal(row.Expected, Drive(row));
    }

    private static ServerAnswer Drive(GoServerTimeoutRow row)
    {
        var conn = new ServerConnectionTimeouts(row.Timeouts, T0);
        switch (row.Story)
        {
            case ServerStory.FirstRequestAfter:
                return Serve(conn, T0 + row.Wait, handler: TimeSpan.Zero);
            case ServerStory.HandlerRuns:
                return Serve(conn, T0, handler: row.Wait);
            default:
                Assert.Equal(ServerAnswer.Answered, Serve(conn, T0, handler: TimeSpan.Zero));
                return Serve(conn, T0 + row.Wait, handler: TimeSpan.Zero);
        }
    }

    private static ServerAnswer Serve(ServerConnectionTimeouts conn, Instant arrival, TimeSpan handler)
    {
        if (!conn.OnRequestRead(arrival, out var writeDeadline)) return ServerAnswer.Closed;
        var done = arrival + handler;
        Assert.Equal(ServerTimeoutKind.None, conn.Tick(done)); // nothing closes a connection while its handler runs
        return conn.OnHandlerFinished(done, writeDeadline) == ResponseWrite.Written ? ServerAnswer.Answered : ServerAnswer.Closed;
    }

    [Fact]
    public void A_fresh_connection_waits_for_its_headers_until_accept_plus_read_timeout()
    {
        var conn = new ServerConnectionTimeouts(Alloy, T0);
        Assert.Equal(new ServerDeadline(Deadline.At(T0 + Alloy.Read), ServerTimeoutKind.ReadHeader), conn.Next);
        Assert.Equal(ServerTimeoutKind.None, conn.Tick(T0 + Alloy.Read - Tick));
        Assert.Equal(ServerConnectionPhase.ReadingHeaders, conn.Phase);
        Assert.Equal(ServerTimeoutKind.ReadHeader, conn.Tick(T0 + Alloy.Read));
        Assert.Equal(ServerConnectionPhase.Closed, conn.Phase);
        Assert.False(conn.OnRequestBytes(T0 + Alloy.Read));
    }

    [Fact]
    public void The_body_deadline_counts_from_the_start_of_the_read_not_from_the_headers()
    {
        var conn = new ServerConnectionTimeouts(Alloy with { ReadHeader = TimeSpan.FromSeconds(10) }, T0);
        Assert.Equal(Deadline.At(T0 + TimeSpan.FromSeconds(10)), conn.Next.At);
        Assert.True(conn.OnHeadersRead(T0 + TimeSpan.FromSeconds(8), out var write));
        Assert.Equal(Deadline.At(T0 + TimeSpan.FromSeconds(38)), write);
        Assert.Equal(new ServerDeadline(Deadline.At(T0 + Alloy.Read), ServerTimeoutKind.ReadBody), conn.Next);
        Assert.False(conn.OnBodyRead(T0 + Alloy.Read));
        Assert.Equal(ServerConnectionPhase.Closed, conn.Phase);
    }

    [Fact]
    public void A_body_read_one_tick_before_the_read_deadline_clears_it()
    {
        var conn = new ServerConnectionTimeouts(Alloy, T0);
        Assert.True(conn.OnHeadersRead(T0 + TimeSpan.FromSeconds(1), out _));
        Assert.True(conn.OnBodyRead(T0 + Alloy.Read - Tick));
        Assert.Equal(ServerDeadline.None, conn.Next);
        Assert.Equal(ServerConnectionPhase.Handling, conn.Phase);
    }

    [Fact]
    public void The_next_request_starts_its_read_when_its_first_bytes_arrive()
    {
        var conn = new ServerConnectionTimeouts(Alloy, T0);
        Assert.True(conn.OnRequestRead(T0, out var write));
        Assert.Equal(ResponseWrite.Written, conn.OnHandlerFinished(T0 + TimeSpan.FromSeconds(1), write));
        Assert.Equal(new ServerDeadline(Deadline.At(T0 + TimeSpan.FromSeconds(121)), ServerTimeoutKind.Idle), conn.Next);
        var bytes = T0 + TimeSpan.FromSeconds(100);
        Assert.True(conn.OnRequestBytes(bytes));
        Assert.Equal(new ServerDeadline(Deadline.At(bytes + Alloy.Read), ServerTimeoutKind.ReadHeader), conn.Next);
        Assert.False(conn.AwaitingFirstRequest);
    }

    [Fact]
    public void Both_read_and_idle_unset_leave_an_idle_connection_open_forever()
    {
        var conn = new ServerConnectionTimeouts(new GoServerTimeouts { Write = TimeSpan.FromSeconds(1) }, T0);
        Assert.Equal(ServerDeadline.None, conn.Next);
        Assert.True(conn.OnRequestRead(T0, out var write));
        Assert.Equal(ResponseWrite.Written, conn.OnHandlerFinished(T0, write));
        Assert.Equal(ServerConnectionPhase.Idle, conn.Phase);
        Assert.Equal(ServerDeadline.None, conn.Next);
        Assert.Equal(ServerTimeoutKind.None, conn.Tick(Instant.MaxValue));
    }

    [Fact]
    public void A_late_write_closes_an_http1_connection_but_fails_only_the_stream_on_http2()
    {
        var http1 = new ServerConnectionTimeouts(Alloy, T0);
        Assert.True(http1.OnRequestRead(T0, out var w1));
        Assert.Equal(ResponseWrite.TimedOut, http1.OnHandlerFinished(T0 + Alloy.Write, w1));
        Assert.Equal(ServerConnectionPhase.Closed, http1.Phase);
        Assert.Equal(ResponseWrite.ConnectionClosed, http1.OnHandlerFinished(T0 + Alloy.Write, w1));

        var http2 = new ServerConnectionTimeouts(Alloy, T0, multiplexed: true);
        Assert.True(http2.OnRequestRead(T0, out var slow));
        Assert.True(http2.OnRequestRead(T0 + TimeSpan.FromSeconds(20), out var quick));
        Assert.Equal(2, http2.Handling);
        Assert.Equal(ResponseWrite.TimedOut, http2.OnHandlerFinished(T0 + Alloy.Write, slow));
        Assert.Equal(ServerConnectionPhase.Handling, http2.Phase);
        Assert.Equal(ResponseWrite.Written, http2.OnHandlerFinished(T0 + Alloy.Write, quick));
        Assert.Equal(ServerConnectionPhase.Idle, http2.Phase);
    }

    [Theory]
    [InlineData(0, 30, 30)]
    [InlineData(10, 30, 10)]
    [InlineData(0, 0, 0)]
    public void The_header_timeout_falls_back_to_the_read_timeout(int readHeader, int read, int expected)
    {
        var t = new GoServerTimeouts { ReadHeader = TimeSpan.FromSeconds(readHeader), Read = TimeSpan.FromSeconds(read) };
        Assert.Equal(TimeSpan.FromSeconds(expected), t.EffectiveReadHeader);
    }

    [Theory]
    [InlineData(120, 30, 120)]
    [InlineData(0, 30, 30)]
    [InlineData(0, 0, 0)]
    public void The_idle_timeout_falls_back_to_the_read_timeout(int idle, int read, int expected)
    {
        var t = new GoServerTimeouts { Idle = TimeSpan.FromSeconds(idle), Read = TimeSpan.FromSeconds(read) };
        Assert.Equal(TimeSpan.FromSeconds(expected), t.EffectiveIdle);
    }

    [Fact]
    public void Alloys_receive_http_block_sets_read_write_and_idle_and_leaves_the_header_timeout_unset()
    {
        var t = GoServerTimeouts.From(new PipelineSim.Core.Options.ReceiveHttpOptions());
        Assert.Equal(new GoServerTimeouts
        {
            Read = TimeSpan.FromSeconds(30), Write = TimeSpan.FromSeconds(30), Idle = TimeSpan.FromSeconds(120),
        }, t);
    }
}
