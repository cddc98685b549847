using System.Reflection;
using PipelineSim.Core.Agents;
using PipelineSim.Core.Backend;
using PipelineSim.Core.Pooling;
using PipelineSim.Core.Retry;
using PipelineSim.Core.Server;
using PipelineSim.Core.Statistics;
using PipelineSim.Live.Receiver;
using PipelineSim.Live.Backend;
using PipelineSim.Live.Writer;
using PipelineSim.Live.Tests.Support;

namespace PipelineSim.Live.Tests.Architecture;

/// <summary>
/// Each rule has one entry point in Core, and both drivers hold it: the simulator's entity and the live component ask
/// the same type, so the rule cannot drift between them (docs/explanation/shared-rules.md lists them).
/// </summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class SharedRuleTests
{
    private static readonly Assembly Model = Assembly.Load("PipelineSim.Model");

    private const BindingFlags Everything = BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;

    /// <summary>
    /// True when <paramref name="driver"/> keeps an instance of <paramref name="rule"/> (or a constructed generic of it)
    /// in a field, its own or one of its nested types' (the compiler's state machines hold an async method's locals),
    /// or behind a Core interface the rule implements (the simulator's agent holds its <c>AgentTicker</c>, or for a
    /// Poisson source its <c>PoissonArrivals</c>, as an <c>IAgentSchedule</c>), or in a Core box of it (the live writer
    /// holds a <c>PushLoop</c>, the box of the <c>PushLoopState</c> the simulator keeps inline).
    /// </summary>
    private static bool Holds(Type driver, Type rule) =>
        driver.GetFields(Everything).Select(f => f.FieldType).Any(t => t == rule || (t.IsGenericType && t.GetGenericTypeDefinition() == rule)
            || (t.IsInterface && t.Assembly == rule.Assembly && t.IsAssignableFrom(rule))
            || (t.Assembly == rule.Assembly && t != rule && t.GetFields(Everything).Any(f => f.FieldType == rule)))
        || driver.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public).Any(nested => Holds(nested, rule));

    public static TheoryData<string, Type, Type> Drivers => new()
    {
        { "PipelineSim.Model.Components.Backend", typeof(BackendStub), typeof(BackendAdmission<>) },
        { "PipelineSim.Model.Components.EndpointPush", typeof(WriterEndpoint), typeof(PushLoopState) },
        { "PipelineSim.Model.Http.HttpServer", typeof(ConnectionSlots), typeof(TimeWeightedLevel) },
        { "PipelineSim.Model.Components.Agent", typeof(PipelineSim.Live.Harness.AgentFleet), typeof(AgentTicker) },
        { "PipelineSim.Model.Http.HttpServer", typeof(LiveReceiver), typeof(HungUpClientRequests) },
        { "PipelineSim.Model.Components.Receiver", typeof(LiveReceiver), typeof(RequestBodyLimit) },
        { "PipelineSim.Model.Http.Http1Transport", typeof(ConnectionTracker), typeof(IdleConnectionPool<>) },
    };

    [Theory]
    [MemberData(nameof(Drivers))]
    public void Both_drivers_hold_the_rules_single_entry_point(string simulatorType, Type liveType, Type rule)
    {
        var simulator = Model.GetType(simulatorType, throwOnError: true)!;
        Assert.True(Holds(simulator, rule), $"{simulator.Name} (simulator) does not use {rule.Name}");
        Assert.True(Holds(liveType, rule), $"{liveType.Name} (live) does not use {rule.Name}");
    }
}
