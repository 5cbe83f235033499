namespace CatSyphon.LoadTest;

/// <summary>The tool's <c>--name value</c> options, shared by the ingestion load and the query benchmark.</summary>
internal sealed class CommandLineValues
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public CommandLineValues(string[] args)
    {
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'; options are --name value.");
            }

            values[args[i][2..]] = args[i + 1];
        }
    }

    public string? this[string name] => values.GetValueOrDefault(name);

    public string Api => this["api"] ?? "http://localhost:8000";

    public string AdminToken => this["admin-token"] is { Length: > 0 } token
        ? token
        : Environment.GetEnvironmentVariable("CATSYPHON_ADMIN_TOKEN") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : throw new ArgumentException("Give the admin token with --admin-token or CATSYPHON_ADMIN_TOKEN.");

    public int Number(string name, int fallback) => values.TryGetValue(name, out var text)
        ? int.TryParse(text, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} must be a positive whole number.")
        : fallback;
}
