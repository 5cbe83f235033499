namespace CatSyphon.Worker.Projection;

/// <summary>Text made fit for PostgreSQL columns.</summary>
internal static class ColumnText
{
    /// <summary>PostgreSQL text and jsonb hold no NUL character; the API replaces them, this is a last guard.</summary>
    public static string SanitizeJson(string json) =>
        json.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) || json.Contains('\0')
            ? json.Replace("\\u0000", "\\ufffd", StringComparison.OrdinalIgnoreCase).Replace('\0', '\uFFFD')
            : json;

    /// <summary>Null for empty text; NUL characters replaced.</summary>
    public static string? Clean(string? text) =>
        string.IsNullOrEmpty(text) ? null : text.Contains('\0') ? text.Replace('\0', '\uFFFD') : text;

    public static string? Bounded(string? text, int maxLength) => text is null ? null : Truncate(text, maxLength);

    public static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];
}
