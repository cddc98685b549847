using PipelineSim.Live.Backend;
using PipelineSim.Live.Tests.Support;
using PipelineSim.Spec;

namespace PipelineSim.Live.Tests.Backend;

/// <summary>The backend stub takes the scenario's <see cref="BackendSpec"/> and refuses it as the live receiver refuses its spec.</summary>
[Trait(LiveTrait.Name, LiveTrait.Value)]
public class BackendSpecOptionsTests
{
    [Fact]
    public async Task An_invalid_spec_is_refused_with_every_problem_before_anything_listens()
    {
        var error = await Assert.ThrowsAsync<SpecException>(() =>
            BackendStub.StartAsync(new BackendSpec { Name = "pyroscope", Concurrency = -1, MaxRequestBodyBytes = 0 }, new LiveContext()));
        Assert.Equal(
            ["pyroscope.concurrency: must not be negative (0 means no limit)", "pyroscope.max_request_body: must be at least 1 byte"],
            error.Problems.Select(p => p.ToString()));
    }
}
