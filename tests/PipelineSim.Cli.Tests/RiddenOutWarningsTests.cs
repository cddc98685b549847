using PipelineSim.Cli.Running;

namespace PipelineSim.Cli.Tests;

public sealed class RiddenOutWarningsTests
{
    [Fact]
    public void Each_message_is_written_once_in_the_order_first_seen_with_how_often_it_came()
    {
        var warnings = new RiddenOutWarnings();
        warnings.Add("r: accept: too many open files; retrying in 5ms");
        warnings.Add("pyroscope: accept: too many open files; retrying in 5ms");
        warnings.Add("r: accept: too many open files; retrying in 5ms");
        warnings.Add("r: accept: too many open files; retrying in 5ms");

        var errors = new StringWriter { NewLine = "\n" };
        warnings.WriteTo(errors);

        Assert.Equal(
            "warning: r: accept: too many open files; retrying in 5ms (3 times)\n" +
            "warning: pyroscope: accept: too many open files; retrying in 5ms\n",
            errors.ToString());
    }

    [Fact]
    public void Messages_from_many_threads_are_all_counted()
    {
        var warnings = new RiddenOutWarnings();
        Parallel.For(0, 1000, i => warnings.Add(i % 2 == 0 ? "even" : "odd"));

        var errors = new StringWriter { NewLine = "\n" };
        warnings.WriteTo(errors);

        Assert.Equal(["(500 times)", "(500 times)"], errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[^11..]));
    }

    [Fact]
    public void Nothing_seen_writes_nothing()
    {
        var errors = new StringWriter();
        new RiddenOutWarnings().WriteTo(errors);
        Assert.Empty(errors.ToString());
    }
}
