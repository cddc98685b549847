using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace PipelineSim.Live.Hosting;

/// <summary>
/// A transport connection that hands everything to the one it wraps: the base of the wrappers our transport puts
/// around a socket's connection (a conn_limit slot, a held FIN), each overriding only what it changes.
/// </summary>
internal abstract class DelegatingConnection(ConnectionContext inner) : ConnectionContext
{
    protected ConnectionContext Inner { get; } = inner;

    public override IDuplexPipe Transport
    {
        get => Inner.Transport;
        set => Inner.Transport = value;
    }

    public override string ConnectionId
    {
        get => Inner.ConnectionId;
        set => Inner.ConnectionId = value;
    }

    public override IFeatureCollection Features => Inner.Features;

    public override IDictionary<object, object?> Items
    {
        get => Inner.Items;
        set => Inner.Items = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => Inner.ConnectionClosed;
        set => Inner.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => Inner.LocalEndPoint;
        set => Inner.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => Inner.RemoteEndPoint;
        set => Inner.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => Inner.Abort(abortReason);

    public override void Abort() => Inner.Abort();

    public override ValueTask DisposeAsync() => Inner.DisposeAsync();
}

/// <summary>A transport's input that hands everything to the reader it wraps; a wrapper overrides what it watches or changes.</summary>
internal abstract class DelegatingPipeReader(PipeReader inner) : PipeReader
{
    protected PipeReader Inner { get; } = inner;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => Inner.ReadAsync(cancellationToken);

    public override bool TryRead(out ReadResult result) => Inner.TryRead(out result);

    public override void AdvanceTo(SequencePosition consumed) => Inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => Inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => Inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => Inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => Inner.CompleteAsync(exception);
}
