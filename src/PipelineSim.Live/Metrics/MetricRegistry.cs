using PipelineSim.Core.Records;
using PipelineSim.Core.Time;

namespace PipelineSim.Live.Metrics;

public enum MetricType { Counter, Gauge, Histogram }

/// <summary>
/// The metrics of every live component in one process, as one Alloy process exports them on <c>/metrics</c>.
/// Series are told apart by their labels (<c>component_id</c> first of all). Asking again for a counter or histogram
/// with the same name and labels returns the same series, so a fleet of agents sharing one writer name adds up.
/// </summary>
public sealed class MetricRegistry
{
    private readonly object gate = new();
    private readonly List<Family> families = [];
    private readonly Dictionary<string, Family> byName = [];

    public Counter Counter(string name, string help, MetricLabels labels) =>
        (Counter)GetOrAdd(name, help, MetricType.Counter, labels, () => new Counter());

    public Histogram Histogram(string name, string help, MetricLabels labels, IReadOnlyList<double> upperBounds) =>
        (Histogram)GetOrAdd(name, help, MetricType.Histogram, labels, () => new Histogram(upperBounds));

    /// <summary>A gauge read when sampled; one owner per series, so registering it twice is a mistake.</summary>
    public void Gauge(string name, string help, MetricLabels labels, Func<double> read)
    {
        lock (gate)
        {
            var family = FamilyFor(name, help, MetricType.Gauge);
            if (family.Series.Any(s => s.Labels.Equals(labels)))
                throw new InvalidOperationException($"Gauge {name}{{{labels}}} is already registered.");
            family.Series.Add(new Series(labels, new Gauge(read)));
        }
    }

    /// <summary>Every series at <paramref name="time"/>, histograms as <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.</summary>
    public List<MetricSample> Snapshot(Instant time)
    {
        var samples = new List<MetricSample>();
        foreach (var family in Families())
        {
            foreach (var series in family.Series)
            {
                foreach (var (suffix, labels, value) in series.Metric.Read(series.Labels))
                    samples.Add(new MetricSample(time, family.Name + suffix, labels.Text, value));
            }
        }
        return samples;
    }

    /// <summary>A consistent copy of the families and their series for an exposition.</summary>
    internal List<Family> Families()
    {
        lock (gate) return families.Select(f => f with { Series = [.. f.Series] }).ToList();
    }

    private Metric GetOrAdd(string name, string help, MetricType type, MetricLabels labels, Func<Metric> create)
    {
        lock (gate)
        {
            var family = FamilyFor(name, help, type);
            var existing = family.Series.FirstOrDefault(s => s.Labels.Equals(labels));
            if (existing is not null) return existing.Metric;
            var metric = create();
            family.Series.Add(new Series(labels, metric));
            return metric;
        }
    }

    private Family FamilyFor(string name, string help, MetricType type)
    {
        if (byName.TryGetValue(name, out var family))
        {
            if (family.Type != type) throw new InvalidOperationException($"{name} is a {family.Type}, not a {type}.");
            return family;
        }
        family = new Family(name, help, type, []);
        families.Add(family);
        byName.Add(name, family);
        return family;
    }

    internal sealed record Family(string Name, string Help, MetricType Type, List<Series> Series);

    internal sealed record Series(MetricLabels Labels, Metric Metric);
}

/// <summary>One series' value(s); histograms expand into several sample lines.</summary>
public abstract class Metric
{
    internal abstract IEnumerable<(string Suffix, MetricLabels Labels, double Value)> Read(MetricLabels labels);
}

/// <summary>A monotonically increasing count (whole numbers: bytes, profiles, retries).</summary>
public sealed class Counter : Metric
{
    private long value;

    public long Value => Interlocked.Read(ref value);

    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref value, amount);
    }

    public void Increment() => Interlocked.Increment(ref value);

    internal override IEnumerable<(string, MetricLabels, double)> Read(MetricLabels labels)
    {
        yield return ("", labels, Value);
    }
}

public sealed class Gauge(Func<double> read) : Metric
{
    public double Value => read();

    internal override IEnumerable<(string, MetricLabels, double)> Read(MetricLabels labels)
    {
        yield return ("", labels, read());
    }
}

/// <summary>A classic Prometheus histogram: cumulative buckets by upper bound, plus sum and count.</summary>
public sealed class Histogram : Metric
{
    private readonly object gate = new();
    private readonly double[] upperBounds;
    private readonly long[] counts;
    private double sum;
    private long count;

    internal Histogram(IReadOnlyList<double> upperBounds)
    {
        this.upperBounds = [.. upperBounds];
        if (this.upperBounds.Zip(this.upperBounds.Skip(1)).Any(pair => pair.First >= pair.Second))
            throw new ArgumentException("Bucket bounds must increase.", nameof(upperBounds));
        counts = new long[this.upperBounds.Length];
    }

    public long Count
    {
        get { lock (gate) return count; }
    }

    public double Sum
    {
        get { lock (gate) return sum; }
    }

    public void Observe(double value)
    {
        // Prometheus buckets are "less than or equal": a value on a bound counts in that bucket.
        int bucket = Array.BinarySearch(upperBounds, value);
        if (bucket < 0) bucket = ~bucket;
        lock (gate)
        {
            if (bucket < counts.Length) counts[bucket]++;
            sum += value;
            count++;
        }
    }

    internal override IEnumerable<(string, MetricLabels, double)> Read(MetricLabels labels)
    {
        long[] snapshot;
        double total;
        long n;
        lock (gate)
        {
            snapshot = [.. counts];
            total = sum;
            n = count;
        }
        long cumulative = 0;
        for (int i = 0; i < upperBounds.Length; i++)
        {
            cumulative += snapshot[i];
            yield return ("_bucket", labels.With("le", PrometheusText.FormatValue(upperBounds[i])), cumulative);
        }
        yield return ("_bucket", labels.With("le", "+Inf"), n);
        yield return ("_sum", labels, total);
        yield return ("_count", labels, n);
    }
}
