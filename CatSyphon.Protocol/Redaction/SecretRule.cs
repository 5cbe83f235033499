using System.Text.RegularExpressions;

namespace CatSyphon.Protocol.Redaction;

/// <summary>
/// One kind of secret: a pattern, the keywords without which it cannot match (checked first, so text without any of them
/// costs no regular expression), and which group is the secret itself (0: the whole match), so that what names it
/// (<c>PASSWORD=</c>, <c>https://user:</c>) stays readable and searchable.
/// </summary>
/// <param name="Kind">The marker's name: <c>[REDACTED:Kind]</c>.</param>
public sealed record SecretRule(string Kind, Regex Pattern, IReadOnlyList<string> Keywords, int SecretGroup = 0)
{
    public const string MarkerPrefix = "[REDACTED:";

    public string Marker { get; } = $"{MarkerPrefix}{Kind}]";

    /// <summary>Whether the text holds one of the keywords (ignoring case), the only way the pattern can match.</summary>
    public bool MayMatch(string text)
    {
        foreach (var keyword in Keywords)
        {
            if (text.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
