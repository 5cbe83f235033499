namespace CatSyphon.Worker.Insights.Llm;

/// <summary>What the LLM said about a session, validated and bounded (<see cref="ColumnLimits"/>).</summary>
internal sealed record LlmAnswer(string Sentiment, string Summary, string[] Problems, string[] Features, string[] LearningOpportunities)
{
    public static readonly string[] Sentiments = ["positive", "neutral", "negative", "frustrated"];

    /// <summary>
    /// Reads the answer tolerantly: the first JSON object in the text (inside a <c>```json</c> fence or after a sentence),
    /// sentiment in any case, missing lists as empty, long values cut. Throws <see cref="FormatException"/> when there is
    /// no object, no known sentiment or no summary: the answer is then an error for that session.
    /// </summary>
    public static LlmAnswer Parse(string? text)
    {
        var start = text?.IndexOf('{') ?? -1;
        var end = text?.LastIndexOf('}') ?? -1;
        if (start < 0 || end <= start)
        {
            throw new FormatException("the answer holds no JSON object");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new FormatException("the answer's JSON object is malformed");
        }

        var sentiment = Text(root, "sentiment")?.ToLowerInvariant();
        if (sentiment is null || !Sentiments.Contains(sentiment))
        {
            throw new FormatException("the answer has no known sentiment");
        }

        var summary = Text(root, "summary");
        if (string.IsNullOrEmpty(summary))
        {
            throw new FormatException("the answer has no summary");
        }

        return new LlmAnswer(
            sentiment,
            Bound(summary, ColumnLimits.LlmSummary),
            List(root, "problems"),
            List(root, "features"),
            List(root, "learning_opportunities"));
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim()
            : null;

    private static string[] List(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.String)
                .Select(item => item.GetString()!.Trim())
                .Where(item => item.Length > 0)
                .Take(ColumnLimits.LlmListItems)
                .Select(item => Bound(item, ColumnLimits.LlmListItem))
                .ToArray()
            : [];

    private static string Bound(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
