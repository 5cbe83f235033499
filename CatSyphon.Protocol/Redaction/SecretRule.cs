using System.Buffers;
using System.Text.RegularExpressions;

namespace CatSyphon.Protocol.Redaction;

/// <summary>
/// One kind of secret: a pattern, the keywords without which it cannot match (checked first, so text without any of them
/// costs no regular expression), and the secret itself: the pattern's group named <c>secret</c> when it has one, else
/// the whole match, so that what names it (<c>PASSWORD=</c>, <c>https://user:</c>) stays readable and searchable. A rule
/// without keywords (a workspace's own pattern) always runs.
/// </summary>
/// <param name="Kind">The marker's name: <c>[REDACTED:Kind]</c>.</param>
public sealed record SecretRule(string Kind, Regex Pattern, IReadOnlyList<string> Keywords)
{
    public const string MarkerPrefix = "[REDACTED:";

    public const string SecretGroupName = "secret";

    private readonly SearchValues<string>? keywordValues = Keywords.Count == 0 ? null : SearchValues.Create([.. Keywords], StringComparison.OrdinalIgnoreCase);

    public string Marker { get; } = $"{MarkerPrefix}{Kind}]";

    /// <summary>Whether the text holds one of the keywords (ignoring case), the only way the pattern can match.</summary>
    public bool MayMatch(string text) => keywordValues is null || text.AsSpan().ContainsAny(keywordValues);
}
