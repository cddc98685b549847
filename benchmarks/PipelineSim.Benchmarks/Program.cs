using BenchmarkDotNet.Running;

namespace PipelineSim.Benchmarks;

/// <summary><c>dotnet run -c Release --project benchmarks/PipelineSim.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
