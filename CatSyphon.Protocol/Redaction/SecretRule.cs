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
/// <param name="Detector">
/// For a rule whose keywords are common words (<c>token</c> is in every usage record's field names): a quick check, given
/// the text from a keyword on, of whether the rule could match there, in plain text and in JSON text alike.
/// </param>
/// <param name="KeywordCase">
/// <see cref="StringComparison.Ordinal"/> for keywords that are fixed parts of a token's format (<c>AKIA</c>, <c>ghp_</c>):
/// an exact search is faster than one that ignores case.
/// </param>
public sealed record SecretRule(
    string Kind, Regex Pattern, IReadOnlyList<string> Keywords, SecretDetector? Detector = null, StringComparison KeywordCase = StringComparison.OrdinalIgnoreCase)
{
    public const string MarkerPrefix = "[REDACTED:";

    public const string SecretGroupName = "secret";

    private readonly SearchValues<string>? keywordValues = Keywords.Count == 0 ? null : SearchValues.Create([.. Keywords], KeywordCase);

    public string Marker { get; } = $"{MarkerPrefix}{Kind}]";

    /// <summary>Whether the text holds one of the keywords and what the detector looks for: the only way the pattern can match.</summary>
    public bool MayMatch(ReadOnlySpan<char> text)
    {
        if (keywordValues is null)
        {
            return true;
        }

        if (Detector is null)
        {
            return text.ContainsAny(keywordValues);
        }

        // The detector runs only where the vectorized search for the keywords stops.
        for (var at = text.IndexOfAny(keywordValues); at >= 0; at = text.IndexOfAny(keywordValues))
        {
            if (Detector(text[at..]))
            {
                return true;
            }

            text = text[(at + 1)..];
        }

        return false;
    }
}

/// <summary>Whether a rule could match in <paramref name="fromKeyword"/>, which starts with one of its keywords.</summary>
public delegate bool SecretDetector(ReadOnlySpan<char> fromKeyword);
