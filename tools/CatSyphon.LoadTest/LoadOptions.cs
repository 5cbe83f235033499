namespace CatSyphon.LoadTest;

internal sealed record LoadOptions(
    string Api, string AdminToken, int Sessions, int EventsPerSession, int BatchSize, int Connections, int Collectors, int ContentBytes)
{
    public long TotalEvents => (long)Sessions * EventsPerSession;

    public static LoadOptions Parse(string[] args)
    {
        var values = new CommandLineValues(args);
        var batch = values.Number("batch", 50);
        if (batch > 50)
        {
            throw new ArgumentException("--batch is at most 50 (the protocol's limit).");
        }

        return new LoadOptions(
            values.Api, values.AdminToken,
            values.Number("sessions", 200), values.Number("events", 5000), batch, values.Number("connections", 16),
            values.Number("collectors", 4), values.Number("content-bytes", 500));
    }
}
