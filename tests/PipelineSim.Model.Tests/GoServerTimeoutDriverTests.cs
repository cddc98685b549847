using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Server;
using PipelineSim.Kernel;
using PipelineSim.Model.Http;
using PipelineSim.Model.Net;
using PipelineSim.Model.Recording;
using PipelineSim.Model.Runtime;
using PipelineSim.Spec;
using PipelineSim.TestTables;

namespace PipelineSim.Model.Tests;

/// <summary>
/// The simulator's server driver against the shared Go http.Server table (tests/Shared/GoServerTimeoutTable.cs): the
/// same rows the live Kestrel servers are checked against, timed to the tick by the kernel's clock.
/// </summary>
public class GoServerTimeoutDriverTests
{
    private static readonly TimeSpan Rtt = TimeSpan.FromMilliseconds(1);
    private static readonly long OneWay = Rtt.Ticks / 2;

    public static TheoryData<string> RowNames() => [.. GoServerTimeoutTable.Rows.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(RowNames))]
    public void The_simulated_server_follows_each_row(string name)
    {
        var row = GoServerTimeoutTable.Rows.Single(r => r.Name == name);
        var sim = new Simulation();
        var world = new World(sim, new RandomStreams(1), NetworkSpec.Linux, new Network([], Rtt), new Recorder(new RecordingSink()), long.MaxValue);
        var handler = row.Story == ServerStory.HandlerRuns ? row.Wait : TimeSpan.Zero;
        var server = new TimedServer(world, row.Timeouts, handler);
        var client = new Client();
        var flow = new Flow(world, client, server, new TcpKeepAliveOptions { Enabled = false }, tls: false, http2: null);
        flow.Dial();
        long accepted = OneWay, established = 2 * OneWay;

        switch (row.Story)
        {
            case ServerStory.FirstRequestAfter:
                // Sent so that it reaches the server exactly Wait after the accept.
                sim.RunUntil(accepted + row.Wait.Ticks - OneWay);
                break;
            case ServerStory.HandlerRuns:
                sim.RunUntil(established);
                break;
            default:
                sim.RunUntil(established);
                flow.Send(new Exchange(world, flow, client, default, null));
                // The first answer left the server when the request arrived (a handler of no time): idle from then.
                long idleFrom = established + OneWay;
                sim.RunUntil(idleFrom + row.Wait.Ticks - OneWay);
                Assert.Equal(["answered"], client.Outcomes);
                client.Outcomes.Clear();
                break;
        }
        flow.Send(new Exchange(world, flow, client, default, null));
        sim.RunUntil(sim.Now + handler.Ticks + TimeSpan.FromSeconds(10).Ticks);

        var expected = row.Expected == ServerAnswer.Answered ? "answered" : "failed";
        Assert.Equal([expected], client.Outcomes);
    }

    /// <summary>A Go server whose handler takes a fixed time and answers Ok.</summary>
    private sealed class TimedServer(World world, GoServerTimeouts timeouts, TimeSpan handler)
        : HttpServer(world, "server", connLimit: 0, backlogCapacity: int.MaxValue, timeouts, new TcpKeepAliveOptions { Enabled = false })
    {
        protected override void Handle(Exchange exchange, bool canceled) => exchange.ScheduleServerWork(World.Now + handler.Ticks);

        public override void OnWorkTimer(Exchange exchange) => Complete(exchange, ConnectCode.Ok, null);

        protected override void Cancel(Exchange exchange) => Complete(exchange, ConnectCode.Canceled, Failure.Canceled);
    }

    private sealed class Client : IFlowOwner, IExchangeClient
    {
        public List<string> Outcomes { get; } = [];

        public string ClientName => "client";

        public void OnEstablished(Flow flow)
        {
        }

        public void OnDialFailed(Flow flow, Failure failure) => Outcomes.Add("dial failed");

        public void OnFlowLost(Flow flow)
        {
        }

        public void OnResponse(Exchange exchange) =>
            Outcomes.Add(exchange.ResponseCode == ConnectCode.Ok ? "answered" : "error " + exchange.ResponseCode);

        public void OnExchangeFailed(Exchange exchange, Failure failure) => Outcomes.Add("failed");
    }
}
