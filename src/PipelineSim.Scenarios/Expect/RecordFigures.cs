using PipelineSim.Core.Records;

namespace PipelineSim.Scenarios.Expect;

/// <summary>
/// The figures <c>expect:</c> needs that a model's <c>SimulationResult</c> does not hold, gathered from the record
/// stream as it passes (in constant memory) on its way to <paramref name="inner"/>: per writer, the longest and mean
/// attempt latency; per backend, the peak of the sampled queue.
/// </summary>
public sealed class RecordFigures(IRecordSink inner) : IRecordSink
{
    private const string ComponentLabel = "component_id=\"";
    private const string QueuedLabel = "state=\"queued\"";

    private readonly Dictionary<string, (TimeSpan Max, TimeSpan Sum, long Count)> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _queuePeaks = new(StringComparer.Ordinal);

    public void OnPush(in PushRecord push) => inner.OnPush(push);

    public void OnAttempt(in AttemptRecord attempt)
    {
        var (max, sum, count) = _attempts.GetValueOrDefault(attempt.Writer);
        var latency = attempt.Latency;
        _attempts[attempt.Writer] = (latency > max ? latency : max, sum + latency, count + 1);
        inner.OnAttempt(attempt);
    }

    public void OnSample(in MetricSample sample)
    {
        if (sample.Name == MetricNames.BackendRequests && sample.Labels.Contains(QueuedLabel, StringComparison.Ordinal)
            && ComponentOf(sample.Labels) is { } backend)
        {
            _queuePeaks[backend] = Math.Max(_queuePeaks.GetValueOrDefault(backend), sample.Value);
        }
        inner.OnSample(sample);
    }

    /// <summary>The longest attempt of a writer's (all copies, all endpoints), or null when it made none.</summary>
    public TimeSpan? MaxAttemptLatency(string writer) => _attempts.TryGetValue(writer, out var a) ? a.Max : null;

    public TimeSpan? MeanAttemptLatency(string writer) =>
        _attempts.TryGetValue(writer, out var a) ? TimeSpan.FromTicks(a.Sum.Ticks / a.Count) : null;

    /// <summary>The most pushes seen waiting at a backend in any sample, or null when it was never sampled.</summary>
    public double? QueuePeak(string backend) => _queuePeaks.TryGetValue(backend, out double peak) ? peak : null;

    /// <summary>The <c>component_id</c> of a label set; names are identifiers, so no escapes can occur in them.</summary>
    private static string? ComponentOf(string labels)
    {
        int start = labels.IndexOf(ComponentLabel, StringComparison.Ordinal);
        if (start < 0) return null;
        start += ComponentLabel.Length;
        int end = labels.IndexOf('"', start);
        return end < 0 ? null : labels[start..end];
    }
}
