using System.Text.Json;
using System.Text.RegularExpressions;
using PipelineSim.Core.Time;

namespace PipelineSim.Cli.Tests;

/// <summary>
/// Issue 11's done-when on the product scenario: <c>plan scenarios/timeout-chain.yaml</c> over w1's and w2's
/// remote_timeout (7 x 9 = 63 settings, 5 replications each) recommends a setting that meets the SLOs, shows the guide's
/// options beside it, and no cheaper setting of the grid meets them.
/// </summary>
public sealed class PlanTimeoutChainTests : IDisposable
{
    private const string W1 = "components.w1.endpoints[0].remote_timeout";
    private const string W2 = "components.w2.endpoints[0].remote_timeout";

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(null)]
    [InlineData("w2.pushes.failed == 0")]
    public void The_timeout_chain_grid_recommends_a_setting_that_meets_the_slos_and_no_cheaper_one_does(string? claim)
    {
        string[] slos = claim is null ? ["delivered>=99.9%"] : ["delivered>=99.9%", claim];
        string dir = Path.Combine(temp.Path, "plan");
        // Cheaper: a shorter upstream deadline first (pushes give up sooner), then a longer downstream timeout (a slow
        // backend is not cut off).
        var result = CliRunner.Run([
            "plan", RepositoryPaths.Scenario("timeout-chain.yaml"), "--vary", $"{W1}=10s:40s:5s", "--vary", $"{W2}=2s:10s:1s",
            .. slos.SelectMany(s => new[] { "--slo", s }),
            "--timeout-chain", "--prefer", "w1.remote_timeout=low", "--prefer", "w2.remote_timeout=high", "--out", dir,
        ]);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "plan.json")));
        var points = json.RootElement.GetProperty("points").EnumerateArray().Select(p => new
        {
            Setting = Setting(p.GetProperty("setting").GetString()!),
            Meets = p.GetProperty("meets_slos").GetBoolean(),
            Slos = p.GetProperty("slos").EnumerateArray().ToList(),
        }).ToList();
        Assert.Equal(63, points.Count);
        Assert.Equal(63, points.Select(p => p.Setting).Distinct().Count());

        var chosen = Setting(json.RootElement.GetProperty("choice").GetProperty("setting").GetString()!);
        var recommended = Assert.Single(points, p => p.Setting == chosen);
        Assert.True(recommended.Meets);
        // Every SLO of the recommendation is met by its whole 95% interval; the delivered ratio's lower bound is at 99.9%.
        Assert.All(recommended.Slos, s => Assert.True(s.GetProperty("met").GetBoolean(), s.ToString()));
        Assert.True(recommended.Slos[0].GetProperty("lower").GetDouble() >= 0.999);

        bool Cheaper((TimeSpan W1, TimeSpan W2) a, (TimeSpan W1, TimeSpan W2) b) => a.W1 < b.W1 || (a.W1 == b.W1 && a.W2 > b.W2);
        var cheaperMeeting = points.Where(p => Cheaper(p.Setting, chosen) && p.Meets).Select(p => p.Setting).ToList();
        Assert.True(cheaperMeeting.Count == 0, $"cheaper settings that meet the SLOs: {string.Join("; ", cheaperMeeting)}");

        // Costlier settings that failed anyway (noise around the choice) are named beside it; none, no caution.
        int costlierFailing = points.Count(p => Cheaper(chosen, p.Setting) && !p.Meets);
        string caution = $"caution: {costlierFailing} costlier setting{(costlierFailing == 1 ? "" : "s")} failed the SLOs";
        Assert.Equal(costlierFailing, json.RootElement.GetProperty("choice").GetProperty("costlier_settings_failing").GetArrayLength());
        if (costlierFailing > 0) Assert.Contains(caution, Regex.Replace(result.StdOut, @"\s+", " "));
        else Assert.DoesNotContain("caution:", result.StdOut);

        // The guide's options A, B and both beside the other settings, each with its budget, runs and verdict.
        var rows = result.StdOut.Split('\n').Select(l => l.Trim()).ToList();
        // Beside the SLOs' columns, the p99 the guide compares its options by (no SLO asks for it here).
        Assert.Matches(@"^option\s+w1 timeout\s+w2 timeout\s+retries\s+budget\s+delivered \(95% CI\)\s+.*p99 \(mean\)\s+w1 retries/push",
            rows.Single(l => l.StartsWith("option ", StringComparison.Ordinal)));
        Assert.Matches(@"^as is\s+.*\s\d+\.\d{3} s\s", rows.Single(l => l.StartsWith("as is ", StringComparison.Ordinal)));
        Assert.Matches(@"^as is\s+10s\s+10s\s+10\s+1\s", rows.Single(l => l.StartsWith("as is ", StringComparison.Ordinal)));
        Assert.Matches(@"^A: raise w1\s+30s\s+10s\s+10\s+2\s", rows.Single(l => l.StartsWith("A: raise w1 ", StringComparison.Ordinal)));
        Assert.Matches(@"^B: lower w2\s+10s\s+3s\s+10\s+2\s", rows.Single(l => l.StartsWith("B: lower w2 ", StringComparison.Ordinal)));
        Assert.Matches(@"^A and B\s+30s\s+3s\s+10\s+5\s", rows.Single(l => l.StartsWith("A and B ", StringComparison.Ordinal)));
        string text = Regex.Replace(result.StdOut, @"\s+", " ");
        Assert.Contains($"recommended setting: w1.remote_timeout={GoDuration.Format(chosen.W1)}, w2.remote_timeout={GoDuration.Format(chosen.W2)}", text);
        Assert.Contains("delivered>=99.9%: ", text);
        Assert.Matches(@"delivered>=99\.9%: \S+ \[\S+, \S+\] at conn_limit \d+, met with 95% confidence, headroom \S+ beyond the 95% bound", text);
        Assert.True(File.Exists(Path.Combine(dir, "plan_settings_delivered.png")));
        // conn_limit was not swept: one line says so, not a conn_limit recommendation for each of the 63 settings.
        Assert.DoesNotContain("recommended conn_limit", result.StdOut);
        Assert.Contains("conn_limit is not swept (16384 in every setting), so none is recommended", text);

        if (slos.Length > 1)
        {
            // As is, w2's attempts hang on the dead connections (the scenario's own expect: says so), so the claim fails
            // there and the recommendation moves off it; it held in every run of the one chosen.
            Assert.EndsWith("no", rows.Single(l => l.StartsWith("as is ", StringComparison.Ordinal)));
            Assert.NotEqual((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)), chosen);
            Assert.Equal("held in 5 of 5 runs", recommended.Slos[1].GetProperty("note").GetString());
            Assert.Contains("w2.pushes.failed == 0: 0 [0, 0], held in 5 of 5 runs", text);
            Assert.True(File.Exists(Path.Combine(dir, "plan_settings_claim.png")));
        }
    }

    [Theory]
    [InlineData("w9.pushes.failed == 0", "--slo: 'w9.pushes.failed == 0': unknown component \"w9\"")]
    [InlineData("w2.pushes.lost == 0", "--slo: 'w2.pushes.lost == 0': pyroscope.write \"w2\" has no metric \"pushes.lost\"")]
    [InlineData("w2.pushes.failed = 0", "--slo: 'w2.pushes.failed = 0': '=' at character 18 is not a comparison")]
    [InlineData("p95>2s", "--slo: 'p95>2s': p95 is kept below a ceiling")]
    public void A_bad_slo_is_one_line_naming_the_problem_before_anything_runs(string slo, string expected)
    {
        string dir = Path.Combine(temp.Path, "bad");
        var result = CliRunner.Run(["plan", RepositoryPaths.Scenario("timeout-chain.yaml"), "--timeout-chain", "--slo", slo, "--out", dir]);
        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("pipelinesim plan: ", line);
        Assert.Contains(expected, line);
        Assert.False(Directory.Exists(dir));
    }

    /// <summary>"w1.remote_timeout=10s, w2.remote_timeout=6s" as the two durations.</summary>
    private static (TimeSpan W1, TimeSpan W2) Setting(string label)
    {
        var match = Regex.Match(label, @"^w1\.remote_timeout=(\S+), w2\.remote_timeout=(\S+)$");
        Assert.True(match.Success, label);
        return (GoDuration.Parse(match.Groups[1].Value), GoDuration.Parse(match.Groups[2].Value));
    }
}
