using System.Buffers;
using System.Collections.Frozen;

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
    private readonly SecretRule[] detectedRules;
    private readonly bool alwaysScan;

    public SecretRedactor(IReadOnlyList<SecretRule> rules, IEnumerable<string> allowed)
    {
        this.rules = rules;
        this.allowed = allowed.ToFrozenSet(StringComparer.Ordinal);
        exactKeywords = KeywordsOf(rules, StringComparison.Ordinal);
        anyCaseKeywords = KeywordsOf(rules, StringComparison.OrdinalIgnoreCase);
        detectedRules = [.. rules.Where(r => r.Detector is not null)];
        alwaysScan = rules.Any(r => r.Keywords.Count == 0);
    }

    /// <summary>The built-in rules and no allow-list.</summary>
    public static SecretRedactor Default { get; } = new(SecretRules.Default, []);

    /// <summary>
    /// Whether any rule could match somewhere in <paramref name="text"/>: one vectorized search for the keywords of all
    /// rules, then the detectors of the rules that have one, so the common text without any costs no more than that.
    /// </summary>
    public bool MayMatch(ReadOnlySpan<char> text)
    {
        if (alwaysScan || text.ContainsAny(exactKeywords) || text.ContainsAny(anyCaseKeywords))
        {
            return true;
        }

        foreach (var rule in detectedRules)
        {
            if (rule.MayMatch(text))
            {
                return true;
            }
        }

        return false;
    }

    private static SearchValues<string> KeywordsOf(IEnumerable<SecretRule> rules, StringComparison comparison) => SearchValues.Create(
        [.. rules.Where(r => r.Detector is null && r.KeywordCase == comparison).SelectMany(r => r.Keywords).Distinct(StringComparer.FromComparison(comparison))],
        comparison);

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
