using System.Reflection;
using PipelineSim.Cli.Commands;
using PipelineSim.Cli.Help;
using PipelineSim.Spec;
using Spectre.Console.Cli;

namespace PipelineSim.Cli;

/// <summary>Builds the <c>pipelinesim</c> command tree. Each command lives in its own file under Commands/.</summary>
public static class PipelineSimApp
{
    /// <summary>Exit code for bad input or a usage error; 1 is reserved for a failed <c>expect:</c>.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Exit code of a command stopped by SIGINT or SIGTERM before its end (128 + SIGINT's number); Program reports
    /// 143 instead when the signal was SIGTERM.
    /// </summary>
    public const int Stopped = 130;

    /// <summary>
    /// Exit code of a failure inside pipelinesim itself, a bug rather than bad input (sysexits.h's EX_SOFTWARE), so a
    /// script can tell "fix your file" from "report this".
    /// </summary>
    public const int InternalError = 70;

    public static string Version { get; } =
        typeof(PipelineSimApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0.0.0";

    /// <param name="args">The command line, so that a value Spectre cannot convert is reported with its option.</param>
    public static CommandApp Create(IReadOnlyList<string>? args = null)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("pipelinesim");
            config.SetApplicationVersion(Version);
            config.UseStrictParsing();
            config.SetHelpProvider(new PipelineSimHelp(config.Settings));
            // A user sees one line per problem, never a stack trace.
            config.SetExceptionHandler((exception, _) => ReportFailure(exception, Console.Error, args));
            config.AddCommand<RunCommand>("run").WithDescription("Simulate a scenario: summary, records, plots, expect: checks.")
                .WithExample("run", "scenarios/timeout-chain.yaml", "--plots");
            config.AddCommand<LiveCommand>("live").WithDescription("Run a scenario with real components on loopback, time scaled: same files as run.");
            config.AddCommand<CompareCommand>("compare").WithDescription("Run a scenario simulated and live and show both side by side, with a verdict.");
            config.AddCommand<ValidateCommand>("validate").WithDescription("Check a scenario file and report every problem in it.");
            config.AddCommand<LintCommand>("lint").WithDescription("Check Alloy config files: timeout chain, retries, conn_limit, what is not modelled.")
                .WithExample("lint", "config.alloy", "--agents", "2000");
            config.AddCommand<ImportCommand>("import").WithDescription("Turn Alloy config files into a scenario that run, plan and compare accept.")
                .WithExample("import", "config.alloy", "-o", "runs/imported.yaml");

            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Measure speed: events or requests per second.");
                bench.AddCommand<BenchKernelCommand>("kernel").WithDescription("Kernel events per second against a bare heap.");
                bench.AddCommand<BenchModelCommand>("model").WithDescription("Simulated pushes per wall second of the fleet workload.");
                bench.AddCommand<BenchLiveCommand>("live").WithDescription("Requests/s through the live receiver vs bare Kestrel.");
            });
            config.AddBranch<CommandSettings>("plan", plan =>
            {
                plan.SetDescription("Plan conn_limit: sweep it against SLOs and recommend one, beside the queueing estimate.");
                plan.AddExample("plan", "scenarios/idle-conns-hold-slots.yaml", "--receiver", "r", "--conn-limit", "50:250:25", "--slo", "delivered>=99%");
                plan.SetDefaultCommand<PlanCommand>();
                plan.AddCommand<PlanMergeCommand>("merge").WithDescription("Combine the partial results of plan --shard i/n runs.");
            });
            config.AddCommand<PlotCommand>("plot").WithDescription("Draw a run's records into DIR/plots/ (PNG, SVG)");
            config.AddBranch("serve", serve =>
            {
                serve.SetDescription("Run one live component on real sockets (127.0.0.1 unless told otherwise).");
                serve.AddCommand<ServeReceiveHttpCommand>("receive-http").WithDescription("A pyroscope.receive_http with a LimitListener conn_limit.");
                serve.AddCommand<ServeBackendCommand>("backend").WithDescription("A stand-in Pyroscope server with latency, errors and outages.");
                serve.AddCommand<ServeProxyCommand>("proxy").WithDescription("A TCP fault proxy: latency, idle-flow breaking, kill on command.");
            });
        });
        return app;
    }

    /// <summary>
    /// The one line a command's escaped exception becomes. Bad input is reported where it is found, with its file
    /// and line; what reaches here is either a usage problem Spectre or a converter found, a stop, or a bug. A bug
    /// says so and names the exception, since its bare message ("Arithmetic operation resulted in an overflow.")
    /// reads as if the input were at fault and names nothing to look at.
    /// </summary>
    internal static int ReportFailure(Exception exception, TextWriter errors, IReadOnlyList<string>? args = null)
    {
        if (exception is OperationCanceledException)
        {
            errors.WriteLine("pipelinesim: stopped before the end");
            return Stopped;
        }
        if (FindInner<Exception>(exception, IsBug) is { } bug)
        {
            errors.WriteLine($"pipelinesim: internal error: {bug.GetType().Name}: {PrintableText.Escape(bug.Message)} " +
                "(a bug in pipelinesim, not in the input; please report it with the command line)");
            return InternalError;
        }
        // Spectre wraps a converter's answer in its own "Failed to convert" message: the converter's says more.
        var shown = FindInner<OptionValueException>(exception) ?? exception;
        string message = shown == exception && UnconvertedOption.Describe(exception.Message, args) is { } described ? described : shown.Message;
        errors.WriteLine($"pipelinesim: {PrintableText.Escape(message)}");
        return UsageError;
    }

    /// <summary>Exceptions that no input should cause: each is a mistake in the code that let it happen.</summary>
    private static bool IsBug(Exception e) =>
        e is ArithmeticException or IndexOutOfRangeException or NullReferenceException or InvalidCastException or KeyNotFoundException;

    private static T? FindInner<T>(Exception? exception, Func<T, bool>? matches = null) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found && (matches is null || matches(found))) return found;
        }
        return null;
    }
}
