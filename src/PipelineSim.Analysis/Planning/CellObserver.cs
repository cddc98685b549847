using PipelineSim.Analysis.Statistics;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Records;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// Gathers what a planner run needs from the record stream, in one pass: the first-hop pushes through the receiver
/// (outcomes, latency of every judged push kept exactly, bytes) and the attempts arriving at it (count, and the mean
/// latency of those that succeeded).
/// </summary>
internal sealed class CellObserver(ReceiverTopology topology) : IRecordSink
{
    public DurationSamples Latencies { get; } = new();

    public long Delivered { get; private set; }

    public long Failed { get; private set; }

    public long InFlight { get; private set; }

    public long LateInFlight { get; private set; }

    public long PushBytes { get; private set; }

    public long Requests { get; private set; }

    public long SucceededRequests { get; private set; }

    private long serviceTicks;

    public long Judged => Delivered + Failed + LateInFlight;

    public double MeanServiceSeconds => SucceededRequests == 0 ? double.NaN : serviceTicks / (double)SucceededRequests / TimeSpan.TicksPerSecond;

    public double LatencySeconds(double quantile) =>
        Latencies.Count == 0 ? double.NaN : Latencies.Quantile(quantile).Ticks / (double)TimeSpan.TicksPerSecond;

    public long FirstHopRetries { get; private set; }

    public long Forwarded { get; private set; }

    public long ForwardedRetries { get; private set; }

    public long ForwardedFailed { get; private set; }

    public void OnPush(in PushRecord push)
    {
        if (push.ParentPushId is not null)
        {
            if (push.Result == PushResult.InFlight) return;
            Forwarded++;
            ForwardedRetries += Math.Max(0, push.Attempts - 1);
            if (push.Result == PushResult.Failed) ForwardedFailed++;
            return;
        }
        if (!topology.FirstHop.Contains(new WriterEndpoint(push.Writer, push.Endpoint))) return;
        switch (push.Result)
        {
            case PushResult.Delivered:
                Delivered++;
                break;
            case PushResult.Failed:
                Failed++;
                break;
            default:
                InFlight++;
                if (push.Attempts <= 1) return; // no outcome yet: not judged
                LateInFlight++;
                break;
        }
        Latencies.Add(push.Latency);
        PushBytes += push.Bytes;
        FirstHopRetries += Math.Max(0, push.Attempts - 1);
    }

    public void OnAttempt(in AttemptRecord attempt)
    {
        if (!topology.IntoReceiver.Contains(new WriterEndpoint(attempt.Writer, attempt.Endpoint))) return;
        Requests++;
        if (attempt.Code != ConnectCode.Ok) return;
        SucceededRequests++;
        serviceTicks += attempt.Latency.Ticks;
    }

    public void OnSample(in MetricSample sample)
    {
    }
}
