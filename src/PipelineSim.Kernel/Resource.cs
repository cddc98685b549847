namespace PipelineSim.Kernel;

/// <summary>A request for one unit of a <see cref="Resource"/>: an event that succeeds when the unit is granted.</summary>
public sealed class ResourceRequest : Event
{
    internal ResourceRequest(Resource resource) : base(resource.Simulation)
    {
        Resource = resource;
    }

    public Resource Resource { get; }

    public bool IsGranted { get; internal set; }

    internal bool IsWithdrawn { get; set; }
}

/// <summary>SimPy's <c>Resource</c>: <see cref="Capacity"/> units, granted to requests in arrival order.</summary>
public sealed class Resource
{
    private readonly Queue<ResourceRequest> waiting = new();

    public Resource(Simulation simulation, int capacity)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Simulation = simulation;
        Capacity = capacity;
    }

    public Simulation Simulation { get; }

    public int Capacity { get; }

    public int InUse { get; private set; }

    /// <summary>Requests waiting for a unit (withdrawn ones excluded).</summary>
    public int QueueLength { get; private set; }

    public ResourceRequest Request()
    {
        var request = new ResourceRequest(this);
        if (InUse < Capacity) Grant(request);
        else
        {
            waiting.Enqueue(request);
            QueueLength++;
        }
        return request;
    }

    /// <summary>Gives back a granted unit, handing it to the oldest waiter; or withdraws a request still waiting.</summary>
    public void Release(ResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resource != this) throw new ArgumentException("The request belongs to another resource.", nameof(request));
        if (request.IsWithdrawn) return;
        request.IsWithdrawn = true;
        if (!request.IsGranted)
        {
            QueueLength--; // removed lazily when it reaches the head of the queue
            return;
        }
        InUse--;
        while (waiting.TryDequeue(out var next))
        {
            if (next.IsWithdrawn) continue;
            QueueLength--;
            Grant(next);
            break;
        }
    }

    private void Grant(ResourceRequest request)
    {
        InUse++;
        request.IsGranted = true;
        request.Succeed();
    }
}
