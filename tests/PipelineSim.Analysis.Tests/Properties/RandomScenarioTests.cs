using FsCheck.Xunit;
using PipelineSim.Analysis.Records;
using PipelineSim.Core.Connect;
using PipelineSim.Core.Options;
using PipelineSim.Core.Records;
using PipelineSim.Model;
using PipelineSim.Spec;

namespace PipelineSim.Analysis.Tests.Properties;

/// <summary>
/// Random small scenarios, every part of the model mixed (fleets, a receiver at a small conn_limit or none, chained
/// writers, backends that queue, fail, rate-limit and go down, links with middleboxes, scheduled and random faults):
/// each run must never throw, must balance its books (every profile created is delivered, dropped or in flight, by
/// the run's own check and again from the push records), and must give byte-identical record files for the same seed.
/// </summary>
public class RandomScenarioTests
{
    [Property(MaxTest = 40)]
    public void A_random_small_scenario_runs_balances_its_books_and_repeats_byte_for_byte(int shape)
    {
        var spec = RandomSpec(new Random(shape));
        Assert.Empty(SpecValidator.Validate(spec)); // the generator makes valid scenarios only

        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var result = RunInto(spec, first.Path, out long firstHopProfiles);
        RunInto(spec, second.Path, out _);

        Assert.True(result.Conservation.Holds, result.Conservation.ToString());
        Assert.Equal(result.Conservation.Created, firstHopProfiles);
        foreach (string file in new[] { "pushes.csv", "attempts.csv", "metrics.csv" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first.Path, file)), File.ReadAllBytes(Path.Combine(second.Path, file)));
        }
    }

    private static SimulationResult RunInto(PipelineSpec spec, string directory, out long firstHopProfiles)
    {
        var firstHop = new FirstHopProfiles();
        SimulationResult result;
        using (var csv = new CsvRecordSink(directory))
        {
            result = SimulationRun.Execute(spec, new TeeRecordSink(csv, firstHop));
            csv.Complete();
        }
        firstHopProfiles = firstHop.Profiles;
        return result;
    }

    /// <summary>A scenario of one to three hops with every choice drawn from <paramref name="random"/>.</summary>
    private static PipelineSpec RandomSpec(Random random)
    {
        TimeSpan S(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds, 3));
        double Between(double min, double max) => min + random.NextDouble() * (max - min);
        T Pick<T>(params T[] items) => items[random.Next(items.Length)];
        var duration = S(Between(30, 300));
        WriterSpec Writer(string name, string url) => new()
        {
            Name = name,
            Options = new WriteOptions
            {
                Endpoints =
                [
                    new WriteEndpointOptions
                    {
                        Url = url,
                        RemoteTimeout = S(Between(0.5, 20)),
                        MinBackoffPeriod = S(Between(0.05, 1)),
                        MaxBackoffPeriod = S(Between(1, 10)),
                        MaxBackoffRetries = random.Next(0, 5), // 0: retry until the deadline
                        Transport = new HttpTransportOptions { DisableKeepAlives = random.Next(4) == 0 },
                    },
                ],
            },
        };
        bool viaReceiver = random.Next(3) > 0;
        var backend = new BackendSpec
        {
            Name = "pyroscope",
            Latency = Pick(Distributions.Constant(Between(0.01, 2)), Distributions.LogNormal(Between(0.05, 2), Between(0, 1)),
                Distributions.Uniform(0, Between(0.1, 3)), Distributions.Exponential(Between(0.05, 2))),
            Concurrency = random.Next(0, 6),
            QueueCapacity = Pick(int.MaxValue, random.Next(0, 10)),
            Errors = random.Next(2) == 0 ? [] : [new ErrorRateSpec(Pick(ConnectCode.Unavailable, ConnectCode.Internal, ConnectCode.ResourceExhausted,
                ConnectCode.InvalidArgument), Between(0, 0.5))],
            RateLimit = random.Next(4) == 0 ? new RateLimitSpec(Between(0.5, 20), Between(0, 10)) : null,
            Outages = random.Next(3) == 0 ? [new OutageSpec(S(Between(0, duration.TotalSeconds - 1)), S(Between(1, 60)), Pick(OutageMode.Unavailable, OutageMode.Hang, OutageMode.Refuse))] : [],
        };
        var components = new List<ComponentSpec> { Writer("w1", viaReceiver ? "http://r:8080" : "http://pyroscope:4040"), backend };
        var links = new List<LinkSpec>();
        var faults = new List<FaultSpec>();
        string lastHop = "w1";
        if (viaReceiver)
        {
            components.Add(new ReceiverSpec
            {
                Name = "r",
                Http = new ReceiveHttpOptions { ConnLimit = Pick(0, random.Next(1, 30)), ServerIdleTimeout = S(Between(5, 180)) },
                AcceptBacklog = random.Next(1, 64),
                ForwardTo = ["w2"],
            });
            components.Add(Writer("w2", "http://pyroscope:4040"));
            lastHop = "w2";
            if (random.Next(3) == 0) faults.Add(new RestartFault { At = S(Between(0, duration.TotalSeconds - 1)), Component = "r", Downtime = S(Between(0, 10)) });
        }
        string link = LinkSpec.LinkId(lastHop, "pyroscope");
        links.Add(new LinkSpec
        {
            From = lastHop,
            To = "pyroscope",
            Rtt = S(Between(0, 0.1)),
            Middlebox = random.Next(2) == 0 ? null : new MiddleboxSpec(S(Between(5, 300)), Pick(MiddleboxMode.Silent, MiddleboxMode.Rst)),
        });
        switch (random.Next(5))
        {
            case 0: faults.Add(new DropIdleFlowsFault { At = S(Between(0, duration.TotalSeconds - 1)), Link = link }); break;
            case 1: faults.Add(new PartitionFault { At = S(Between(0, duration.TotalSeconds - 1)), Link = link, Duration = S(Between(0.5, 30)) }); break;
            case 2: faults.Add(new RandomLinkBreaksFault { Link = link, RatePerConnectionHour = Between(1, 200) }); break;
            case 3: faults.Add(new BackendOutageFault { At = S(Between(0, duration.TotalSeconds - 1)), Backend = "pyroscope", Duration = S(Between(1, 30)) }); break;
        }
        var interval = S(Between(2, 60));
        return new PipelineSpec
        {
            Name = "random",
            Duration = duration,
            Seed = (ulong)random.NextInt64(),
            SampleStep = S(Between(1, 30)),
            Sources =
            [
                new SourceSpec
                {
                    Name = "agents",
                    Count = random.Next(1, 40),
                    PushInterval = interval,
                    PhaseJitter = random.Next(2) == 0 ? null : S(Between(0, interval.TotalSeconds)),
                    ProfilesPerPush = random.Next(1, 4),
                    ProfileBytes = Distributions.LogNormal(Between(1_000, 100_000), Between(0, 1)),
                    Writer = Pick(WriterSharing.PerAgent, WriterSharing.Shared),
                    PushTimeout = random.Next(3) == 0 ? Distributions.Constant(S(Between(1, 30)).TotalSeconds) : null,
                    To = "w1",
                },
            ],
            Components = components,
            Links = links,
            Faults = faults,
        };
    }

    /// <summary>Profiles in the pushes sources made (no parent push): what the books call created, counted from the records.</summary>
    private sealed class FirstHopProfiles : IRecordSink
    {
        public long Profiles { get; private set; }

        public void OnPush(in PushRecord push)
        {
            if (push.ParentPushId is null) Profiles += push.Profiles;
        }

        public void OnAttempt(in AttemptRecord attempt)
        {
        }

        public void OnSample(in MetricSample sample)
        {
        }
    }
}
