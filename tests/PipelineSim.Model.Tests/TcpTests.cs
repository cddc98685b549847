using PipelineSim.Core.Options;
using PipelineSim.Kernel;
using PipelineSim.Model.Components;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Recording;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;
using static PipelineSim.Model.Tests.Pipelines;

namespace PipelineSim.Model.Tests;

/// <summary>Flows against a receiver directly: handshakes, the accept backlog and SYN retransmissions.</summary>
public class TcpTests
{
    private static readonly TcpKeepAliveOptions Off = new() { Enabled = false };

    private sealed class Owner(World world) : IFlowOwner
    {
        public List<(string What, long At)> Events { get; } = [];

        public string ClientName => "client";

        public void OnEstablished(Flow flow) => Events.Add(("established", world.Now));

        public void OnDialFailed(Flow flow, Failure failure) => Events.Add(("failed: " + failure.Text, world.Now));

        public void OnFlowLost(Flow flow) => Events.Add(("lost", world.Now));
    }

    private static (Simulation Sim, World World, Receiver Receiver, Owner Owner) Setup(int connLimit, int backlog)
    {
        var sim = new Simulation();
        var world = new World(sim, new RandomStreams(1), NetworkSpec.Linux, new Network([], TimeSpan.FromMilliseconds(1)), new Recorder(new RecordingSink()), long.MaxValue);
        var receiver = new Receiver(world, new ReceiverSpec
        {
            Name = "r",
            // A holder that never sends a request would otherwise be closed by Go's 30 s first-request read timeout.
            Http = new ReceiveHttpOptions { ConnLimit = connLimit, ServerReadTimeout = TimeSpan.FromHours(1) },
            AcceptBacklog = backlog,
        });
        return (sim, world, receiver, new Owner(world));
    }

    private static long T(double seconds) => (long)Math.Round(seconds * TimeSpan.TicksPerSecond);

    [Fact]
    public void A_handshake_completes_after_one_round_trip()
    {
        var (sim, world, receiver, owner) = Setup(connLimit: 10, backlog: 10);
        new Flow(world, owner, receiver, Off, tls: false, null).Dial();
        sim.RunUntil(T(1));
        Assert.Equal([("established", T(0.001))], owner.Events);
        Assert.Equal(1, receiver.Accepted);
    }

    [Fact]
    public void Syns_into_a_full_backlog_are_retransmitted_at_1_3_7_15_31_63_s_and_the_dial_fails_at_127_s()
    {
        var (sim, world, receiver, owner) = Setup(connLimit: 1, backlog: 0);
        new Flow(world, owner, receiver, Off, false, null).Dial(); // takes the only slot and keeps it
        new Flow(world, owner, receiver, Off, false, null).Dial(); // backlog 0 still holds one (Linux: backlog + 1)
        sim.RunUntil(T(1));
        owner.Events.Clear();
        new Flow(world, owner, receiver, Off, false, null).Dial(); // at 1 s
        var drops = new List<long>();
        long seen = receiver.SynDrops;
        for (long t = T(1); t < T(200); t += T(0.0005))
        {
            sim.RunUntil(t);
            if (receiver.SynDrops != seen)
            {
                drops.Add(world.Now);
                seen = receiver.SynDrops;
            }
        }
        // Each SYN is dropped on arrival, half a round trip after it was sent (seen here at the next 0.5 ms step).
        Assert.Equal(new[] { 0, 1, 3, 7, 15, 31, 63 }.Select(s => T(1 + s + 0.001)), drops);
        Assert.Equal([("failed: unavailable: dial tcp: connect: connection timed out", T(1 + 127))], owner.Events);
    }

    [Fact]
    public void A_retransmitted_syn_gets_in_once_a_slot_frees()
    {
        var (sim, world, receiver, owner) = Setup(connLimit: 1, backlog: 0);
        var holder = new Flow(world, owner, receiver, Off, false, null);
        holder.Dial();
        new Flow(world, owner, receiver, Off, false, null).Dial(); // fills the accept queue (backlog 0 holds one)
        sim.RunUntil(T(1));
        owner.Events.Clear();
        new Flow(world, owner, receiver, Off, false, null).Dial(); // SYNs at 1, 2, 4, 8 s
        sim.RunUntil(T(5));
        holder.CloseByClient(); // the FIN frees the slot at 5.0005 s for the queued one, and so a queue place
        sim.RunUntil(T(20));
        Assert.Equal([("established", T(8.001))], owner.Events);
        Assert.Equal(3, receiver.SynDrops);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public void The_accept_queue_holds_the_backlog_plus_one_as_linux_does(int backlog)
    {
        var (sim, world, receiver, owner) = Setup(connLimit: 1, backlog: backlog);
        for (int i = 0; i < backlog + 3; i++) new Flow(world, owner, receiver, Off, false, null).Dial();
        sim.RunUntil(T(0.9)); // before the first retransmission
        Assert.Equal((1, backlog + 1), (receiver.Accepted, receiver.Backlog));
        Assert.Equal(1, receiver.SynDrops);
        Assert.Equal(backlog + 1, receiver.Stats().AcceptBacklogCapacity);
        Assert.Equal(backlog + 2, owner.Events.Count(e => e.What == "established"));
    }

    [Fact]
    public void A_backlog_connection_completes_its_handshake_but_is_not_accepted_until_a_slot_frees()
    {
        var (sim, world, receiver, owner) = Setup(connLimit: 1, backlog: 5);
        var holder = new Flow(world, owner, receiver, Off, false, null);
        holder.Dial();
        var waiting = new Flow(world, owner, receiver, Off, false, null);
        waiting.Dial();
        sim.RunUntil(T(1));
        Assert.Equal(2, owner.Events.Count(e => e.What == "established"));
        Assert.Equal((1, 1), (receiver.Accepted, receiver.Backlog));
        Assert.Equal(ServerPhase.Backlog, waiting.ServerSide);
        holder.CloseByClient();
        sim.RunUntil(T(2));
        Assert.Equal((1, 0), (receiver.Accepted, receiver.Backlog));
        Assert.Equal(ServerPhase.Accepted, waiting.ServerSide);
    }

    [Fact]
    public void A_connection_that_never_sends_a_request_is_closed_by_the_read_timeout()
    {
        var sim = new Simulation();
        var world = new World(sim, new RandomStreams(1), NetworkSpec.Linux, new Network([], TimeSpan.FromMilliseconds(1)), new Recorder(new RecordingSink()), long.MaxValue);
        var receiver = new Receiver(world, new ReceiverSpec { Name = "r" });
        var owner = new Owner(world);
        new Flow(world, owner, receiver, Off, false, null).Dial();
        sim.RunUntil(T(40));
        Assert.Equal([("established", T(0.001)), ("lost", T(30.0005 + 0.0005))], owner.Events);
        Assert.Equal(0, receiver.Accepted);
    }

    [Fact]
    public void A_restarting_server_refuses_dials_with_a_reset()
    {
        var (sim, world, receiver, owner) = Setup(connLimit: 10, backlog: 10);
        receiver.Restart(S(30));
        new Flow(world, owner, receiver, Off, false, null).Dial();
        sim.RunUntil(T(1));
        Assert.Equal([("failed: unavailable: dial tcp: connect: connection refused", T(0.001))], owner.Events);
    }
}
