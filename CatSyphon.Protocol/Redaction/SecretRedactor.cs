using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;

namespace CatSyphon.Protocol.Redaction;

/// <summary>
/// Replaces each secret in a text by its rule's marker (<c>[REDACTED:kind]</c>), leaving the surrounding text as it was.
/// A match that is one of the allow-listed strings stays. Thread-safe; idempotent: markers match no rule.
/// </summary>
public sealed class SecretRedactor
{
    private readonly IReadOnlyList<SecretRule> rules;
    private readonly FrozenSet<string> allowed;
    private readonly SearchValues<string> exactKeywords;
    private readonly SearchValues<string> anyCaseKeywords;
    private readonly FrozenDictionary<char, (string Keyword, SecretDetector? Detector)[]> anyCaseRulesByFirstLetter;
    private readonly bool alwaysScan;

    public SecretRedactor(IReadOnlyList<SecretRule> rules, IEnumerable<string> allowed)
    {
        this.rules = rules;
        this.allowed = allowed.ToFrozenSet(StringComparer.Ordinal);
        exactKeywords = SearchValues.Create([.. KeywordsOf(rules, StringComparison.Ordinal)], StringComparison.Ordinal);
        // Rules without a detector first: a keyword they share with one (password) always counts as a possible match.
        // Grouped by first letter, so finding the rule at a hit costs one comparison or two: "token" is in every usage record.
        anyCaseRulesByFirstLetter = rules.Where(r => r.KeywordCase == StringComparison.OrdinalIgnoreCase).OrderBy(r => r.Detector is not null)
            .SelectMany(r => r.Keywords.Select(k => (Keyword: k, r.Detector)))
            .GroupBy(r => char.ToUpperInvariant(r.Keyword[0]))
            .ToFrozenDictionary(g => g.Key, g => g.ToArray());
        anyCaseKeywords = SearchValues.Create([.. KeywordsOf(rules, StringComparison.OrdinalIgnoreCase)], StringComparison.OrdinalIgnoreCase);
        alwaysScan = rules.Any(r => r.Keywords.Count == 0);
    }

    /// <summary>The built-in rules and no allow-list.</summary>
    public static SecretRedactor Default { get; } = new(SecretRules.Default, []);

    /// <summary>
    /// Whether any rule could match somewhere in <paramref name="text"/>: one vectorized search for the exact keywords
    /// (token formats) and one for the rest, whose hits are confirmed by their rule's detector where it has one (a usage
    /// record's "input_tokens" is no assignment), so the common text costs no more than the two searches.
    /// </summary>
    /// <param name="json">
    /// The text is JSON: an escape (<c>\u0041KIA</c>) could hide a keyword from the searches, so one counts as a possible match.
    /// It is searched for on its own: among the keywords, its two characters would make the search stop at every
    /// backslash of the JSON's escapes, four times slower (measured on a generated log tree).
    /// </param>
    public bool MayMatch(ReadOnlySpan<char> text, bool json = false)
    {
        if (alwaysScan || text.ContainsAny(exactKeywords) || (json && text.Contains(JsonEscape, StringComparison.Ordinal)))
        {
            return true;
        }

        for (var at = text.IndexOfAny(anyCaseKeywords); at >= 0; at = text.IndexOfAny(anyCaseKeywords))
        {
            text = text[at..];
            var (keyword, detector) = RuleAt(text);
            if (detector is null || detector(text))
            {
                return true;
            }

            text = text[keyword.Length..];
        }

        return false;
    }

    /// <summary>The first any-case rule whose keyword <paramref name="text"/> starts with (the search found one there).</summary>
    private (string Keyword, SecretDetector? Detector) RuleAt(ReadOnlySpan<char> text)
    {
        // The search ignores case as ordinal comparisons do, so a keyword that starts here has the same first letter.
        foreach (var rule in anyCaseRulesByFirstLetter.GetValueOrDefault(char.ToUpperInvariant(text[0]), []))
        {
            if (text.StartsWith(rule.Keyword, StringComparison.OrdinalIgnoreCase))
            {
                return rule;
            }
        }

        throw new UnreachableException("The keyword search stopped where no keyword starts.");
    }

    private const string JsonEscape = "\\u";

    private static IEnumerable<string> KeywordsOf(IEnumerable<SecretRule> rules, StringComparison comparison) =>
        rules.Where(r => r.KeywordCase == comparison).SelectMany(r => r.Keywords).Distinct(StringComparer.FromComparison(comparison));

    /// <summary>Whether the string is one the workspace allows (never redacted).</summary>
    public bool IsAllowed(string value) => allowed.Contains(value);

    /// <summary>The text with its secrets replaced; the same instance when it held none.</summary>
    public string Redact(string text, out int redacted)
    {
        redacted = 0;
        if (string.IsNullOrEmpty(text) || !MayMatch(text))
        {
            return text;
        }

        var count = 0;
        foreach (var rule in rules)
        {
            if (!rule.MayMatch(text))
            {
                continue;
            }

            text = rule.Pattern.Replace(text, match =>
            {
                var secret = match.Groups[SecretRule.SecretGroupName] is { Success: true } named ? named : match;
                if (allowed.Contains(secret.Value) || secret.ValueSpan.Contains(SecretRule.MarkerPrefix, StringComparison.Ordinal))
                {
                    return match.Value;
                }

                count++;
                return string.Concat(
                    match.ValueSpan[..(secret.Index - match.Index)],
                    rule.Marker,
                    match.ValueSpan[(secret.Index - match.Index + secret.Length)..]);
            });
        }

        redacted = count;
        return text;
    }
}
