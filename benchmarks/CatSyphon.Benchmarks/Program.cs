using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// One summary table for every benchmark run. The short job (3 warm-ups, 3 iterations) so a run of all takes minutes,
// unless the command line names a job ("--job default" for full statistics): BenchmarkDotNet would otherwise run
// the configured job rather than the one asked for.
var config = DefaultConfig.Instance.WithOptions(ConfigOptions.JoinSummary);
if (!args.Any(arg => arg is "-j" or "--job" || arg.StartsWith("--job=", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.ShortRun);
}

BenchmarkSwitcher.FromAssembly(typeof(CatSyphon.Benchmarks.CollectorBatches).Assembly).Run(args, config);
