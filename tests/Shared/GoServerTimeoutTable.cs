using PipelineSim.Core.Server;

namespace PipelineSim.TestTables;

/// <summary>What a Go server does with a request in one of the table's stories.</summary>
public enum ServerAnswer
{
    /// <summary>The client gets the handler's answer.</summary>
    Answered,

    /// <summary>The server closed the connection instead (a deadline passed): no answer.</summary>
    Closed,
}

/// <summary>Which part of a connection's life a row tests.</summary>
public enum ServerStory
{
    /// <summary>A fresh connection stays silent for <see cref="GoServerTimeoutRow.Wait"/>, then sends its request.</summary>
    FirstRequestAfter,

    /// <summary>The request is read at once and the handler runs for <see cref="GoServerTimeoutRow.Wait"/>.</summary>
    HandlerRuns,

    /// <summary>After one answered request the connection idles for <see cref="GoServerTimeoutRow.Wait"/>, then a second request comes.</summary>
    NextRequestAfter,
}

/// <summary>One row: the server's timeouts, a story, how long its wait lasts, and what Go does (src/net/http/server.go).</summary>
public sealed record GoServerTimeoutRow(string Name, GoServerTimeouts Timeouts, ServerStory Story, TimeSpan Wait, ServerAnswer Expected)
{
    public override string ToString() => Name;
}

/// <summary>
/// The Go http.Server timeout table every driver is checked against: Core's state machine, the simulator and the live
/// Kestrel servers. Each boundary is tried one tick before, exactly at, and one tick after; a deadline at t has passed
/// at t (internal/poll.setDeadlineImpl), so "exactly at" is already too late. Expected answers are written out, not
/// computed.
/// </summary>
public static class GoServerTimeoutTable
{
    public static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static readonly GoServerTimeouts Alloy = new()
    {
        Read = TimeSpan.FromSeconds(3), Write = TimeSpan.FromSeconds(2), Idle = TimeSpan.FromSeconds(5),
    };

    private static readonly GoServerTimeouts IdleUnset = Alloy with { Idle = TimeSpan.Zero };

    private static readonly GoServerTimeouts HeaderSet = Alloy with { ReadHeader = TimeSpan.FromSeconds(1) };

    private static readonly GoServerTimeouts Unset = new();

    public static IReadOnlyList<GoServerTimeoutRow> Rows { get; } =
    [
        // A fresh connection's first request: readRequest starts at accept, bounded by ReadTimeout (header timeout unset).
        new("silent connection, one tick before read timeout", Alloy, ServerStory.FirstRequestAfter, S(3) - Tick, ServerAnswer.Answered),
        new("silent connection, exactly at read timeout", Alloy, ServerStory.FirstRequestAfter, S(3), ServerAnswer.Closed),
        new("silent connection, one tick after read timeout", Alloy, ServerStory.FirstRequestAfter, S(3) + Tick, ServerAnswer.Closed),
        // ReadHeaderTimeout, when set, bounds the headers instead.
        new("silent connection, one tick before read header timeout", HeaderSet, ServerStory.FirstRequestAfter, S(1) - Tick, ServerAnswer.Answered),
        new("silent connection, exactly at read header timeout", HeaderSet, ServerStory.FirstRequestAfter, S(1), ServerAnswer.Closed),
        // Every timeout zero: no deadline at all.
        new("silent connection, no timeouts", Unset, ServerStory.FirstRequestAfter, S(3600), ServerAnswer.Answered),

        // The write deadline: headers read + WriteTimeout.
        new("handler one tick shorter than write timeout", Alloy, ServerStory.HandlerRuns, S(2) - Tick, ServerAnswer.Answered),
        new("handler exactly write timeout", Alloy, ServerStory.HandlerRuns, S(2), ServerAnswer.Closed),
        new("handler one tick longer than write timeout", Alloy, ServerStory.HandlerRuns, S(2) + Tick, ServerAnswer.Closed),
        // ReadTimeout does not bound the handler: the background read clears the read deadline once the body is read.
        new("handler longer than read timeout, no write timeout", Alloy with { Write = TimeSpan.Zero }, ServerStory.HandlerRuns, S(4), ServerAnswer.Answered),

        // The idle deadline: response + IdleTimeout.
        new("idle one tick less than idle timeout", Alloy, ServerStory.NextRequestAfter, S(5) - Tick, ServerAnswer.Answered),
        new("idle exactly idle timeout", Alloy, ServerStory.NextRequestAfter, S(5), ServerAnswer.Closed),
        new("idle one tick more than idle timeout", Alloy, ServerStory.NextRequestAfter, S(5) + Tick, ServerAnswer.Closed),
        // IdleTimeout zero falls back to ReadTimeout.
        new("idle timeout unset, one tick before read timeout", IdleUnset, ServerStory.NextRequestAfter, S(3) - Tick, ServerAnswer.Answered),
        new("idle timeout unset, exactly read timeout", IdleUnset, ServerStory.NextRequestAfter, S(3), ServerAnswer.Closed),
        new("no timeouts, a long idle", Unset, ServerStory.NextRequestAfter, S(3600), ServerAnswer.Answered),
    ];

    public static IEnumerable<GoServerTimeoutRow> Of(ServerStory story) => Rows.Where(r => r.Story == story);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);
}
