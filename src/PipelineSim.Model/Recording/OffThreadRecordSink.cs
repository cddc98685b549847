using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using PipelineSim.Core.Records;

namespace PipelineSim.Model.Recording;

/// <summary>
/// Hands records to another sink on a thread of its own, in the order they came, so a run on one core can have its
/// records written (CSV formatting, disk) on the other. Records are immutable values, copied into chunks that travel
/// through a bounded queue, which holds the simulation back when the writer falls behind; chunks are reused, so
/// nothing is allocated per record.
/// Call <see cref="Complete"/> at the end: it waits for the writer and rethrows what the inner sink threw, as it was
/// thrown (an <see cref="IOException"/> stays one), so callers handle it as if the sink ran on their thread.
/// </summary>
public sealed class OffThreadRecordSink : IRecordSink, IDisposable
{
    private const int ChunkSize = 1024; // a chunk holds about 300 KB of records
    private const int ChunksInFlight = 32;

    private enum Kind : byte { Push, Attempt, Sample }

    private struct Item
    {
        public Kind Kind;
        public PushRecord Push;
        public AttemptRecord Attempt;
        public MetricSample Sample;
    }

    private readonly IRecordSink inner;
    private readonly BlockingCollection<(Item[] Items, int Count)> full = new(ChunksInFlight);
    private readonly ConcurrentQueue<Item[]> spare = new();
    private readonly Thread writer;
    private Item[] current = new Item[ChunkSize];
    private int count;
    private volatile ExceptionDispatchInfo? failure;
    private bool completed;

    public OffThreadRecordSink(IRecordSink inner)
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        writer = new Thread(Drain) { Name = "record writer", IsBackground = true };
        writer.Start();
    }

    public void OnPush(in PushRecord push) => Add(new Item { Kind = Kind.Push, Push = push });

    public void OnAttempt(in AttemptRecord attempt) => Add(new Item { Kind = Kind.Attempt, Attempt = attempt });

    public void OnSample(in MetricSample sample) => Add(new Item { Kind = Kind.Sample, Sample = sample });

    /// <summary>Sends what is buffered and waits until the inner sink has taken every record.</summary>
    public void Complete()
    {
        if (completed) return;
        completed = true;
        HandOver();
        full.CompleteAdding();
        writer.Join();
        failure?.Throw();
    }

    public void Dispose()
    {
        if (!full.IsAddingCompleted) full.CompleteAdding();
        if (writer.IsAlive) writer.Join();
        full.Dispose();
    }

    private void Add(in Item item)
    {
        failure?.Throw();
        current[count++] = item;
        if (count == ChunkSize) HandOver();
    }

    private void HandOver()
    {
        if (count == 0) return;
        full.Add((current, count));
        current = spare.TryDequeue(out var recycled) ? recycled : new Item[ChunkSize];
        count = 0;
    }

    private void Drain()
    {
        foreach (var (items, n) in full.GetConsumingEnumerable())
        {
            if (failure is null)
            {
                try
                {
                    for (int i = 0; i < n; i++)
                    {
                        ref var item = ref items[i];
                        switch (item.Kind)
                        {
                            case Kind.Push: inner.OnPush(item.Push); break;
                            case Kind.Attempt: inner.OnAttempt(item.Attempt); break;
                            default: inner.OnSample(item.Sample); break;
                        }
                    }
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            }
            Array.Clear(items, 0, n); // let the strings the records name go
            spare.Enqueue(items);
        }
    }
}
