using System.CommandLine;
using CatSyphon.Collector.Configuration;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.Collector.Commands;

/// <summary>The <c>catsyphon</c> command line.</summary>
public static class CollectorCommands
{
    public static RootCommand Build() => Build(CollectorHome.Default(), Console.Out, Console.Error);

    /// <param name="host">The machine whose service manager <c>catsyphon service</c> drives (default: this one).</param>
    public static RootCommand Build(CollectorHome home, TextWriter output, TextWriter errors, AgentHost? host = null)
    {
        var root = new RootCommand($"CatSyphon collector: syncs {AgentFormatRegistry.Default.DisplayNames("and")} session logs to a CatSyphon server.");
        root.Subcommands.Add(RegisterCommand.Create(home, output, errors));
        root.Subcommands.Add(StatusCommand.Create(home, output, errors));
        root.Subcommands.Add(ScanCommand.Create(output, errors));
        root.Subcommands.Add(PushCommand.Create(home, output, errors));
        root.Subcommands.Add(WatchCommand.Create(home, output, errors));
        root.Subcommands.Add(ExportCommand.Create(home, output, errors));
        root.Subcommands.Add(TelemetryCommand.Create(home, output, errors));
        root.Subcommands.Add(Service.ServiceCommand.Create(home, host ?? AgentHost.Current(), output, errors));
        return root;
    }

    /// <summary>Runs a command body, turning a <see cref="CollectorException"/> into its message and exit code.</summary>
    internal static async Task<int> RunAsync(TextWriter errors, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CollectorException exception)
        {
            await errors.WriteLineAsync($"error: {exception.Message}");
            return exception.ExitCode;
        }
    }
}
