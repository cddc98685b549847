using PipelineSim.Analysis.Queueing;

namespace PipelineSim.Analysis.Tests.Queueing;

public class ErlangTests
{
    [Theory]
    // Textbook Erlang B table values; the 100k rows computed with 50-digit arithmetic (mpmath).
    [InlineData(1, 2.0, 2.0 / 3)] // B(1, A) = A / (1 + A)
    [InlineData(10, 5.0, 0.018384570336648133)]
    [InlineData(100, 80.0, 0.0039920286045531975)]
    [InlineData(100_000, 100_000.0, 0.0025188934235469064)]
    [InlineData(100_000, 90_000.0, 1.98003409635906e-236)]
    public void Erlang_b_matches_reference_values(int servers, double load, double expected) =>
        Assert.Equal(expected, Erlang.B(servers, load), expected * 1e-12);

    [Fact]
    public void Erlang_b_with_no_servers_loses_everything_and_with_no_load_nothing()
    {
        Assert.Equal(1, Erlang.B(0, 3));
        Assert.Equal(0, Erlang.B(5, 0));
    }

    [Theory]
    [InlineData(2, 1.0, 1.0 / 3)] // M/M/2 at ρ = 0.5: 2ρ²/(1+ρ)
    [InlineData(1, 0.7, 0.7)] // M/M/1: C = ρ
    [InlineData(10, 8.0, 0.40918015079644353)]
    [InlineData(100_000, 99_000.0, 0.00082190823741079540)]
    public void Erlang_c_matches_reference_values(int servers, double load, double expected) =>
        Assert.Equal(expected, Erlang.C(servers, load), expected * 1e-12);

    [Fact]
    public void Erlang_c_is_one_when_the_load_reaches_the_servers() => Assert.Equal(1, Erlang.C(10, 10));

    [Fact]
    public void Mean_wait_is_c_times_service_over_spare_capacity()
    {
        // c = 10, λ = 8/s, S = 1 s: W_q = C(10, 8) · 1 / (10 - 8).
        Assert.Equal(0.20459007539822177, Erlang.MeanWait(10, 8, TimeSpan.FromSeconds(1)).TotalSeconds, 6);
        // M/M/1, ρ = 0.5, S = 2 s: W_q = ρ·S/(1-ρ) = 2 s.
        Assert.Equal(2.0, Erlang.MeanWait(1, 0.25, TimeSpan.FromSeconds(2)).TotalSeconds, 6);
        Assert.Equal(TimeSpan.MaxValue, Erlang.MeanWait(4, 5, TimeSpan.FromSeconds(1)));
        Assert.Equal(8 * 0.40918015079644353 / 2, Erlang.MeanQueueLength(10, 8), 9);
    }

    [Fact]
    public void Servers_for_blocking_is_the_smallest_count_that_meets_the_target()
    {
        int servers = Erlang.ServersForBlocking(80, 0.01);
        Assert.True(Erlang.B(servers, 80) <= 0.01);
        Assert.True(Erlang.B(servers - 1, 80) > 0.01);
        Assert.Equal(1, Erlang.ServersForBlocking(1, 0.5)); // B(1, 1) = 1/2 exactly
    }

    [Fact]
    public void Rejects_negative_or_infinite_inputs()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Erlang.B(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Erlang.B(1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Erlang.C(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Erlang.OfferedLoad(double.PositiveInfinity, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Erlang.ServersForBlocking(1, 0));
    }
}
