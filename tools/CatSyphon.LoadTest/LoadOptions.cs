namespace CatSyphon.LoadTest;

internal sealed record LoadOptions(
    string Api, string AdminToken, int Sessions, int EventsPerSession, int BatchSize, int Connections, int Collectors, int ContentBytes)
{
    public long TotalEvents => (long)Sessions * EventsPerSession;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'; options are --name value.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        int Number(string name, int fallback) => values.TryGetValue(name, out var text)
            ? int.TryParse(text, out var value) && value > 0 ? value : throw new ArgumentException($"--{name} must be a positive whole number.")
            : fallback;

        var token = values.GetValueOrDefault("admin-token") ?? Environment.GetEnvironmentVariable("CATSYPHON_ADMIN_TOKEN");
        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException("Give the admin token with --admin-token or CATSYPHON_ADMIN_TOKEN.");
        }

        var batch = Number("batch", 50);
        if (batch > 50)
        {
            throw new ArgumentException("--batch is at most 50 (the protocol's limit).");
        }

        return new LoadOptions(
            values.GetValueOrDefault("api") ?? "http://localhost:8000", token,
            Number("sessions", 200), Number("events", 5000), batch, Number("connections", 16), Number("collectors", 4), Number("content-bytes", 500));
    }
}
