using PipelineSim.Spec;
using PipelineSim.Core.Options;
using PipelineSim.Core.Server;

namespace PipelineSim.Live.Receiver;

/// <summary>A live <c>pyroscope.receive_http</c>: Alloy's <c>http</c> block plus what a real socket needs besides.</summary>
public sealed record LiveReceiverOptions
{
    /// <summary>
    /// Alloy's block with its defaults. An empty <see cref="ReceiveHttpOptions.ListenAddress"/> binds 127.0.0.1 here,
    /// not every interface; port 0 lets the kernel choose.
    /// </summary>
    public ReceiveHttpOptions Http { get; init; } = new();

    /// <summary>The <c>listen(2)</c> backlog; null uses the kernel's somaxconn as Go's net.Listen does.</summary>
    public int? ListenBacklog { get; init; }

    /// <summary>Seconds the handler spends decoding a request before it forwards it; null means none.</summary>
    public IDistribution? HandlerTime { get; init; }

    /// <summary>
    /// Whether a request read after its client hung up (it waited in the accept backlog) is forwarded: Go's race,
    /// decided by Core as in the simulator. Tests set a certain outcome (probability 0 or 1).
    /// </summary>
    public HungUpClientRace HungUpRace { get; init; } = HungUpClientRace.Go;

    /// <summary>Larger request bodies get 413; Alloy itself sets no limit, so the default is generous.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;
}
