using PipelineSim.Live.Wire;

namespace PipelineSim.Live.Tests.Support;

/// <summary>A forward_to target that takes a fixed time per series and always succeeds.</summary>
internal sealed class SlowTarget(TimeSpan perSeries) : IProfilesTarget
{
    public string Name => "slow";

    public async Task<WriteResult> AppendAsync(RawProfileSeries series, PushContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(perSeries, cancellationToken);
        return WriteResult.Success;
    }

    public async Task<WriteResult> AppendIngestAsync(IngestRequest request, PushContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(perSeries, cancellationToken);
        return WriteResult.Success;
    }
}
