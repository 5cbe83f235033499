namespace CatSyphon.IntegrationTests;

/// <summary>The <c>catsyphon</c> command line, run in-process as a developer would run it, its home folder given.</summary>
public static class CollectorCli
{
    /// <summary>Runs <c>catsyphon</c> with <paramref name="args"/>; returns its exit code and what it printed.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(
        string home, string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CollectorCommands.Build(new CollectorHome(home), output, errors).Parse(args).InvokeAsync(cancellationToken: cancellationToken);
        return (exit, output.ToString(), errors.ToString());
    }
}
