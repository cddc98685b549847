using PipelineSim.Spec;

namespace PipelineSim.Analysis.Planning;

/// <summary>
/// The scenario's settings the planner's analysis reads, kept with the sweep so that a merge needs only the partial
/// results, not the scenario: the receiver's accept backlog and idle timeout, how many connections its
/// <c>forward_to</c> writers may keep open downstream, and the longest push interval of the agents that hold
/// connections (null when none do). Behind a load balancer, <see cref="GroupSize"/> receivers share the load and
/// <see cref="Balancer"/> says how ("lb: L4, round robin"). <see cref="PoissonArrivals"/>: every source of the
/// scenario has <c>arrivals: poisson</c>, so its pushes arrive as Erlang's formulas assume.
/// </summary>
public sealed record ReceiverFacts(int AcceptBacklog, TimeSpan ServerIdleTimeout, int DownstreamConnections, TimeSpan? HoldingPushInterval,
    int GroupSize = 1, string? Balancer = null, bool PoissonArrivals = false)
{
    public static ReceiverFacts Of(PipelineSpec spec, ReceiverTopology topology)
    {
        var receiver = topology.Receiver;
        var writers = spec.Components.OfType<WriterSpec>().ToDictionary(w => w.Name, StringComparer.Ordinal);
        // Each forward_to endpoint is its own pool: MaxIdleConnsPerHost idle connections at most, the usual bound.
        int downstream = receiver.ForwardTo
            .Where(writers.ContainsKey)
            .SelectMany(w => writers[w].Options.Endpoints)
            .Sum(e => e.Transport.MaxIdleConnsPerHost);

        TimeSpan? interval = null;
        foreach (var source in spec.Sources)
        {
            var single = spec with { Sources = [source] };
            if (topology.Holding(single).Clients > 0 && (interval is null || source.PushInterval > interval)) interval = source.PushInterval;
        }
        string? balancer = topology.Instances.Count > 1
            ? spec.Components.OfType<LoadBalancerSpec>().Where(b => b.Name == topology.Balancers[0]).Select(Describe).Single()
            : null;
        bool poisson = spec.Sources.Count > 0 && spec.Sources.All(s => s.Arrivals == ArrivalProcess.Poisson);
        return new ReceiverFacts(receiver.AcceptBacklog, receiver.Http.ServerIdleTimeout, downstream, interval, topology.Instances.Count, balancer,
            poisson);
    }

    private static string Describe(LoadBalancerSpec b)
    {
        string policy = b.Policy == BalancePolicy.RoundRobin ? "round robin" : "least connections";
        return $"{b.Name}: {b.Layer}, {policy}";
    }
}
