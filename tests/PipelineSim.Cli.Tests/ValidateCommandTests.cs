using PipelineSim.Cli.Commands;

namespace PipelineSim.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private const string Valid = """
        name: chain
        duration: 30m
        sources:
          agents: { count: 200, to: w1 }
        components:
          w1: { kind: pyroscope.write, endpoints: [ { url: r } ] }
          r:  { kind: pyroscope.receive_http, forward_to: [w2] }
          w2: { kind: pyroscope.write, endpoints: [ { url: pyroscope } ] }
          pyroscope: { kind: backend }
        links:
          - { from: w2, to: pyroscope, middlebox: { idle_timeout: 240s } }
        expect:
          - w1.pushes.failed > 0
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("pipelinesim-validate-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string yaml)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static (int Code, string Out, string Err) Run(string path)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = ValidateCommand.Run(path, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void A_valid_file_prints_one_ok_line_and_exits_0()
    {
        string path = Write("chain.yaml", Valid);
        Assert.Equal(
            (0, $"{path}: OK (chain: 1 source with 200 agents, 4 components, 1 link, 0 faults, 1 expectation)\n", ""),
            Run(path));
    }

    [Fact]
    public void Problems_go_to_stderr_one_per_line_with_exit_code_2()
    {
        string path = Write("bad.yaml", Valid.Replace("count: 200", "count: 0").Replace("forward_to: [w2]", "forward_to: [w3]"));
        Assert.Equal(
            (PipelineSimApp.UsageError, "",
                $"{path}:4:20: sources.agents.count: must be at least 1, found 0\n" +
                $"{path}:7:52: components.r.forward_to[0]: forward_to \"w3\" names no component or source (did you mean \"w1\"?)\n"),
            Run(path));
    }

    [Fact]
    public void A_missing_file_is_a_usage_error_not_a_stack_trace()
    {
        string path = Path.Combine(_directory, "none.yaml");
        var (code, output, errors) = Run(path);
        Assert.Equal((PipelineSimApp.UsageError, ""), (code, output));
        Assert.StartsWith($"{path}:1:1: cannot read the file: ", errors);
        Assert.DoesNotContain(" at ", errors);
    }

    [Fact]
    public void The_pipelinesim_executable_exits_2_and_writes_problems_to_stderr()
    {
        string path = Write("exe.yaml", Valid.Replace("duration: 30m", "duration: 30"));
        Assert.Equal(
            new CliResult(2, "", $"{path}:2:11: duration: invalid duration \"30\": missing unit " +
                "(expected a number followed by ns, us, µs, ms, s, m or h, like 500ms or 1m30s)\n"),
            CliRunner.Run("validate", path));

        File.WriteAllText(path, Valid);
        Assert.Equal(0, CliRunner.Run("validate", path).ExitCode);
    }
}
