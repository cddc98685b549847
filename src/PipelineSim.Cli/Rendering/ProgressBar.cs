using Spectre.Console;

namespace PipelineSim.Cli.Rendering;

/// <summary>One progress bar for a run on a terminal, fed a fraction done; cleared when the work ends.</summary>
internal static class ProgressBar
{
    public static T Run<T>(IAnsiConsole output, string description, Func<Action<double>, T> work)
    {
        T result = default!;
        Bar(output).Start(context =>
        {
            var task = context.AddTask(description, maxValue: 1.0);
            result = work(fraction => task.Value = fraction);
            task.Value = 1.0;
        });
        return result;
    }

    public static async Task<T> RunAsync<T>(IAnsiConsole output, string description, Func<Action<double>, Task<T>> work)
    {
        T result = default!;
        await Bar(output).StartAsync(async context =>
        {
            var task = context.AddTask(description, maxValue: 1.0);
            result = await work(fraction => task.Value = fraction);
            task.Value = 1.0;
        });
        return result;
    }

    private static Progress Bar(IAnsiConsole output) => output.Progress()
        .AutoClear(true)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn());
}
