using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace PipelineSim.Cli.Help;

/// <summary>
/// The help pages of <c>pipelinesim</c>. Spectre's provider reads every description as markup, so a description that
/// shows syntax such as <c>empirical([1s, 2s])</c> made <c>serve backend --help</c> fail with "Could not find color or
/// style '1s,'": here every text from the command tree is escaped once, for every command, before Spectre renders it.
/// And <c>plan</c> is a branch whose default command takes the FILE (so that <c>plan merge DIR</c> can exist beside
/// <c>plan FILE</c>): its help is the default command's, with the branch's description and examples, and lists the
/// branch's own subcommands rather than every top-level command.
/// </summary>
internal sealed class PipelineSimHelp(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> Write(ICommandModel model, ICommandInfo? command)
    {
        if (command is { IsBranch: true, DefaultCommand: { } defaultCommand }) command = defaultCommand;
        return base.Write(new EscapedModel(model), command is null ? null : EscapedCommand.Wrap(command));
    }

    public override IEnumerable<IRenderable> GetDescription(ICommandModel model, ICommandInfo? command) =>
        base.GetDescription(model, BranchOfDefault(command) ?? command);

    public override IEnumerable<IRenderable> GetExamples(ICommandModel model, ICommandInfo? command) =>
        base.GetExamples(model, BranchOfDefault(command) ?? command);

    public override IEnumerable<IRenderable> GetCommands(ICommandModel model, ICommandInfo? command) =>
        BranchOfDefault(command) is { } branch ? base.GetCommands(model, branch) : base.GetCommands(model, command);

    /// <summary>The branch a default command stands for; null for any other command and for a default at the root.</summary>
    private static ICommandInfo? BranchOfDefault(ICommandInfo? command) => command is { IsDefaultCommand: true, Parent: { } branch } ? branch : null;

    private static string? Escape(string? text) => text?.EscapeMarkup();

    private sealed class EscapedModel(ICommandModel inner) : ICommandModel
    {
        public string ApplicationName => inner.ApplicationName;
        public string? ApplicationVersion => inner.ApplicationVersion;
        public IReadOnlyList<string[]> Examples => inner.Examples;
        public IReadOnlyList<ICommandInfo> Commands => inner.Commands.Select(EscapedCommand.Wrap).ToList();
        public ICommandInfo? DefaultCommand => inner.DefaultCommand is { } command ? EscapedCommand.Wrap(command) : null;
    }

    private sealed class EscapedCommand : ICommandInfo
    {
        private readonly ICommandInfo inner;
        private readonly Lazy<ICommandInfo?> parent;

        private EscapedCommand(ICommandInfo inner)
        {
            this.inner = inner;
            parent = new(() => inner.Parent is { } p ? Wrap(p) : null);
        }

        public static ICommandInfo Wrap(ICommandInfo command) => command as EscapedCommand ?? new EscapedCommand(command);

        public string Name => inner.Name;
        public string? Description => Escape(inner.Description);
        public bool IsBranch => inner.IsBranch;
        public bool IsDefaultCommand => inner.IsDefaultCommand;
        public bool IsHidden => inner.IsHidden;
        public ICommandInfo? Parent => parent.Value;
        public IReadOnlyList<string[]> Examples => inner.Examples;
        public IReadOnlyList<ICommandInfo> Commands => inner.Commands.Select(Wrap).ToList();
        public ICommandInfo? DefaultCommand => inner.DefaultCommand is { } command ? Wrap(command) : null;

        public IReadOnlyList<ICommandParameter> Parameters => inner.Parameters.Select(parameter => parameter switch
        {
            ICommandOption option => (ICommandParameter)new EscapedOption(option),
            ICommandArgument argument => new EscapedArgument(argument),
            _ => parameter,
        }).ToList();
    }

    private sealed class EscapedOption(ICommandOption inner) : ICommandOption
    {
        public IReadOnlyList<string> LongNames => inner.LongNames;
        public IReadOnlyList<string> ShortNames => inner.ShortNames;
        public string? ValueName => inner.ValueName;
        public bool ValueIsOptional => inner.ValueIsOptional;
        public bool IsFlag => inner.IsFlag;
        public bool IsRequired => inner.IsRequired;
        public string? Description => Escape(inner.Description);
        public System.ComponentModel.DefaultValueAttribute? DefaultValue => inner.DefaultValue;
        public bool IsHidden => inner.IsHidden;
    }

    private sealed class EscapedArgument(ICommandArgument inner) : ICommandArgument
    {
        public string Value => inner.Value;
        public int Position => inner.Position;
        public bool IsFlag => inner.IsFlag;
        public bool IsRequired => inner.IsRequired;
        public string? Description => Escape(inner.Description);
        public System.ComponentModel.DefaultValueAttribute? DefaultValue => inner.DefaultValue;
        public bool IsHidden => inner.IsHidden;
    }
}
