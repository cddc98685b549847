namespace PipelineSim.Scenarios.Schema;

/// <summary>The <c>kind:</c> values of <c>components:</c>, and the kind of a source (which has no <c>kind:</c> key).</summary>
public static class ComponentKinds
{
    public const string Source = "source";
    public const string Write = "pyroscope.write";
    public const string Receive = "pyroscope.receive_http";
    public const string Backend = "backend";
    public const string LoadBalancer = "load_balancer";

    /// <summary>The kind of a component whose <c>kind:</c> is missing or wrong (already reported): references to it
    /// are not judged, so one mistake does not cascade into many.</summary>
    internal const string Unknown = "";

    /// <summary>The kinds a component may declare, in the order docs/reference/scenario-schema.md lists them.</summary>
    public static IReadOnlyList<string> Declarable { get; } = [Write, Receive, Backend, LoadBalancer];

    /// <summary>What a connection can be made to: an endpoint URL or a load balancer target.</summary>
    public static IReadOnlyList<string> Servers { get; } = [Receive, Backend, LoadBalancer];
}
