using PipelineSim.Cli.Commands;

namespace PipelineSim.Cli.Tests;

/// <summary>What an exception that escapes a command becomes: one line, and an exit code that says whose fault it is.</summary>
public class FailureReportTests
{
    [Fact]
    public void A_bug_is_called_an_internal_error_with_its_exception_and_exit_code_70()
    {
        var errors = new StringWriter();
        var escaped = new InvalidOperationException("wrapper", new OverflowException());

        int exit = PipelineSimApp.ReportFailure(escaped, errors);

        Assert.Equal(PipelineSimApp.InternalError, exit);
        Assert.Equal(70, exit);
        Assert.Equal(
            "pipelinesim: internal error: OverflowException: Arithmetic operation resulted in an overflow. " +
            "(a bug in pipelinesim, not in the input; please report it with the command line)" + Environment.NewLine,
            errors.ToString());
    }

    [Fact]
    public void A_bad_option_value_is_a_usage_error_with_the_converters_own_message()
    {
        var errors = new StringWriter();
        var escaped = new InvalidOperationException("Failed to convert", new OptionValueException("--seed: 'x' is not a whole number"));

        int exit = PipelineSimApp.ReportFailure(escaped, errors);

        Assert.Equal(PipelineSimApp.UsageError, exit);
        Assert.Equal("pipelinesim: --seed: 'x' is not a whole number" + Environment.NewLine, errors.ToString());
    }

    [Fact]
    public void A_stop_is_reported_as_such_with_exit_code_130()
    {
        var errors = new StringWriter();
        Assert.Equal(PipelineSimApp.Stopped, PipelineSimApp.ReportFailure(new OperationCanceledException(), errors));
        Assert.Equal("pipelinesim: stopped before the end" + Environment.NewLine, errors.ToString());
    }
}
