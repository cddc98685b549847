namespace PipelineSim.Kernel;

/// <summary>A get from a <see cref="Store{T}"/>: succeeds with the item taken.</summary>
public sealed class StoreGet<T> : Event
{
    internal StoreGet(Simulation simulation) : base(simulation) { }

    public T Item { get; private set; } = default!;

    internal void Deliver(T item)
    {
        Item = item;
        Succeed(item);
    }
}

/// <summary>SimPy's <c>Store</c>: items in FIFO order, puts wait while it is full and gets while it is empty.</summary>
public sealed class Store<T>
{
    private readonly Queue<T> items = new();
    private readonly Queue<(T Item, Event Done)> puts = new();
    private readonly Queue<StoreGet<T>> gets = new();

    public Store(Simulation simulation, int capacity = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Simulation = simulation;
        Capacity = capacity;
    }

    public Simulation Simulation { get; }

    public int Capacity { get; }

    public int Count => items.Count;

    /// <summary>Puts waiting for room.</summary>
    public int PendingPuts => puts.Count;

    /// <summary>Gets waiting for an item.</summary>
    public int PendingGets => gets.Count;

    /// <summary>Succeeds once <paramref name="item"/> is stored (at once when there is room).</summary>
    public Event Put(T item)
    {
        var done = new Event(Simulation);
        if (gets.TryDequeue(out var get))
        {
            // Nobody can be waiting to get while items remain, so a waiting get takes this item directly.
            get.Deliver(item);
            done.Succeed();
        }
        else if (items.Count < Capacity)
        {
            items.Enqueue(item);
            done.Succeed();
        }
        else puts.Enqueue((item, done));
        return done;
    }

    public StoreGet<T> Get()
    {
        var get = new StoreGet<T>(Simulation);
        if (items.TryDequeue(out var item))
        {
            get.Deliver(item);
            if (puts.TryDequeue(out var waiting))
            {
                items.Enqueue(waiting.Item);
                waiting.Done.Succeed();
            }
        }
        else gets.Enqueue(get);
        return get;
    }
}
