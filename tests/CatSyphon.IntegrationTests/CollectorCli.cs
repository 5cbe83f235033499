namespace CatSyphon.IntegrationTests;

/// <summary>The <c>catsyphon</c> command line, run in-process as a developer would run it, its home folder given.</summary>
public static class CollectorCli
{
    /// <summary>Runs <c>catsyphon</c> with <paramref name="args"/>; returns its exit code and what it printed.</summary>
    public static Task<(int Exit, string Output, string Errors)> RunAsync(
        string home, string[] args, CancellationToken cancellationToken = default) =>
        RunAsync(home, args, new LiveOutput(), cancellationToken);

    /// <summary>Runs <c>catsyphon</c> as if on <paramref name="host"/> (its platform, home and environment: <c>catsyphon service</c>).</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string home, string[] args, CatSyphon.Protocol.Parsing.AgentHost host)
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        var exit = await CollectorCommands.Build(new CollectorHome(home), output, errors, host).Parse(args).InvokeAsync();
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>
    /// Runs <c>catsyphon</c> with <paramref name="args"/>, printing into <paramref name="output"/>, which a test can read
    /// while the command runs (to stop a watcher only once it has said what the test expects).
    /// </summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(
        string home, string[] args, LiveOutput output, CancellationToken cancellationToken = default)
    {
        var errors = new StringWriter();
        var exit = await CollectorCommands.Build(new CollectorHome(home), output.Writer, errors).Parse(args).InvokeAsync(cancellationToken: cancellationToken);
        return (exit, output.ToString(), errors.ToString());
    }
}

/// <summary>What a running command has printed so far, readable while it goes on printing.</summary>
public sealed class LiveOutput
{
    private readonly StringWriter text = new();

    public LiveOutput() => Writer = TextWriter.Synchronized(text);

    /// <summary>The writer to print into; each of its calls holds the lock on itself, as <see cref="ToString"/> does.</summary>
    public TextWriter Writer { get; }

    public override string ToString()
    {
        lock (Writer)
        {
            return text.ToString();
        }
    }
}
