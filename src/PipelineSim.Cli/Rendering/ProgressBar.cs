using Spectre.Console;

namespace PipelineSim.Cli.Rendering;

/// <summary>
/// One progress bar on a terminal for a piece of work that reports the fraction done (0 to 1), from any thread;
/// without a terminal the work runs plain. Cleared when done, so the output that follows reads as without it.
/// </summary>
internal static class ProgressBar
{
    public static T Run<T>(IAnsiConsole output, bool show, string description, Func<Action<double>, T> work)
    {
        if (!show) return work(_ => { });
        T? result = default;
        Bar(output).Start(context =>
        {
            var task = context.AddTask(description, maxValue: 1.0);
            result = work(fraction => task.Value = fraction);
            task.Value = 1.0;
        });
        return result!;
    }

    /// <summary>The same for work that is asynchronous (a live run).</summary>
    public static async Task<T> RunAsync<T>(IAnsiConsole output, bool show, string description, Func<Action<double>, Task<T>> work)
    {
        if (!show) return await work(_ => { });
        T? result = default;
        await Bar(output).StartAsync(async context =>
        {
            var task = context.AddTask(description, maxValue: 1.0);
            result = await work(fraction => task.Value = fraction);
            task.Value = 1.0;
        });
        return result!;
    }

    private static Progress Bar(IAnsiConsole output) => output.Progress()
        .AutoClear(true)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn());
}
