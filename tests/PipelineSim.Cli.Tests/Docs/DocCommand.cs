using System.Text;

namespace PipelineSim.Cli.Tests.Docs;

/// <summary>One shell command found in a ```bash block of a Markdown file: where it is, and its words.</summary>
public sealed record DocCommand(string File, int Line, string Text, IReadOnlyList<string> Words)
{
    /// <summary>
    /// The arguments for <c>pipelinesim</c> when the command is <c>dotnet run [-c Release] --project
    /// src/PipelineSim.Cli -- ARGS</c> (the form the docs use), else null.
    /// </summary>
    public IReadOnlyList<string>? PipelinesimArguments
    {
        get
        {
            int separator = Words.ToList().IndexOf("--");
            if (separator < 0 || Words.Count < 2 || Words[0] != "dotnet" || Words[1] != "run") return null;
            var options = Words.Skip(2).Take(separator - 2).ToList();
            int project = options.IndexOf("--project");
            if (project < 0 || project + 1 >= options.Count || options[project + 1].TrimEnd('/') != "src/PipelineSim.Cli") return null;
            options.RemoveRange(project, 2);
            int configuration = options.IndexOf("-c");
            if (configuration >= 0 && configuration + 1 < options.Count) options.RemoveRange(configuration, 2);
            return options.Count == 0 ? [.. Words.Skip(separator + 1)] : null;
        }
    }

    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>
/// Finds the commands in the ```bash fenced blocks of Markdown text, as a shell would read them: one command per
/// line, a trailing backslash continues it on the next line, <c>#</c> at the start of a word begins a comment, and
/// single quotes, double quotes and backslashes group words. ```console, ```text and other blocks are examples, not
/// commands.
/// </summary>
public static class DocCommands
{
    public static IReadOnlyList<DocCommand> Find(string file, string markdown)
    {
        var commands = new List<DocCommand>();
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        bool inBash = false, inOther = false;
        var pending = new StringBuilder();
        int pendingLine = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (inBash || inOther)
                {
                    Flush();
                    inBash = inOther = false;
                }
                else if (trimmed.TrimEnd() is "```bash" or "```sh" or "```shell") inBash = true;
                else inOther = true;
                continue;
            }
            if (!inBash) continue;
            if (pending.Length == 0)
            {
                if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
                pendingLine = i + 1;
            }
            if (line.TrimEnd().EndsWith('\\'))
            {
                pending.Append(line.TrimEnd()[..^1]).Append(' ');
                continue;
            }
            pending.Append(line);
            Flush();
        }
        Flush();
        return commands;

        void Flush()
        {
            if (pending.Length == 0) return;
            string text = pending.ToString().Trim();
            pending.Clear();
            var words = Words(text);
            if (words.Count > 0) commands.Add(new DocCommand(file, pendingLine, System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " "), words));
        }
    }

    /// <summary>Splits a command line into words as a POSIX shell does for quotes, backslashes and comments (no expansions).</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException($"unterminated ' in: {text}");
                word.Append(text, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`') i++;
                    word.Append(text[i]);
                }
                if (i >= text.Length) throw new FormatException($"unterminated \" in: {text}");
                inWord = true;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
                inWord = true;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
