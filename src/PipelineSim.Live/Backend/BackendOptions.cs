using PipelineSim.Core.Connect;

namespace PipelineSim.Live.Backend;

/// <summary>A share of requests a backend fails with <paramref name="Code"/> (Connect error; its HTTP status on /ingest).</summary>
public sealed record BackendErrorRule(ConnectCode Code, double Rate);

/// <summary>A span of the backend's life (from its start, scenario time) in which every request fails with <paramref name="Code"/>.</summary>
public sealed record OutageWindow(TimeSpan From, TimeSpan To, ConnectCode Code = ConnectCode.Unavailable)
{
    public bool Contains(TimeSpan sinceStart) => sinceStart >= From && sinceStart < To;
}

/// <summary>A stand-in Pyroscope server: how fast it answers, how many at once, and how it fails.</summary>
public sealed record BackendOptions
{
    /// <summary>127.0.0.1 unless told otherwise; port 0 lets the kernel choose.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    public int ListenPort { get; init; }

    /// <summary>Time to handle one request once it is being served (the guide: 500–1000 ms average for Pyroscope).</summary>
    public DurationDistribution Latency { get; init; } = DurationDistribution.Fixed(TimeSpan.Zero);

    /// <summary>Requests served at once, the rest queue in arrival order; 0 means no limit.</summary>
    public int Concurrency { get; init; }

    /// <summary>Independent error shares, tried in order on one uniform draw per request (their sum at most 1).</summary>
    public IReadOnlyList<BackendErrorRule> Errors { get; init; } = [];

    public IReadOnlyList<OutageWindow> Outages { get; init; } = [];

    public long MaxRequestBodyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Checks the numbers; one message per problem.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ListenPort is < 0 or > 65535) problems.Add($"listen port {ListenPort} is outside 0-65535");
        if (Concurrency < 0) problems.Add($"concurrency {Concurrency} is negative");
        foreach (var rule in Errors)
        {
            if (rule.Rate is < 0 or > 1 || double.IsNaN(rule.Rate)) problems.Add($"error rate {rule.Rate} for {ConnectCodes.Name(rule.Code)} is outside [0, 1]");
            if (rule.Code == ConnectCode.Ok) problems.Add("an error rule cannot use code ok");
        }
        if (Errors.Sum(r => r.Rate) > 1 + 1e-9) problems.Add("error rates add up to more than 1");
        foreach (var outage in Outages)
        {
            if (outage.To <= outage.From) problems.Add($"outage {outage.From}-{outage.To} ends before it starts");
        }
        return problems;
    }
}
