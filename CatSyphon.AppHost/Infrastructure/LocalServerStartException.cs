namespace CatSyphon.AppHost.Infrastructure;

/// <summary>
/// Why a local server cannot start, and what the person running the app host does about it. Waiting would
/// never help, so <see cref="LocalServerStartFailures"/> stops the app host with it.
/// </summary>
internal sealed class LocalServerStartException(string reason, string fix, Exception? innerException = null)
    : Exception($"{reason} Fix: {fix}", innerException)
{
    public string Reason { get; } = reason;

    public string Fix { get; } = fix;

    /// <summary>The last <paramref name="count"/> non-empty lines of a program's output, indented under the reason.</summary>
    public static string LastLines(string text, int count = 8) => string.Join(
        Environment.NewLine,
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(count).Select(line => "  " + line));
}
