using PipelineSim.Cli;
using PipelineSim.Cli.Running;
using Spectre.Console;

// Redirected output has no terminal width; Spectre would wrap at 80 columns and break table rows apart in logs and
// pipes. Honour COLUMNS when set, else lay out for a wide log.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 20 ? columns : 160;
}

using var signals = new SignalCancellation();
var commandLine = PipelineSim.Cli.Commands.ValidateCommand.StdinDashAsName(args);
int exitCode = PipelineSimApp.Create(commandLine).Run(commandLine, signals.Token);
return exitCode == PipelineSimApp.Stopped && signals.Token.IsCancellationRequested ? signals.ExitCode : exitCode;
