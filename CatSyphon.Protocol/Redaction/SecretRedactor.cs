namespace CatSyphon.Protocol.Redaction;

/// <summary>
/// Replaces each secret in a text by its rule's marker (<c>[REDACTED:kind]</c>), leaving the surrounding text as it was.
/// A match that is one of the allow-listed strings stays. Thread-safe; idempotent: markers match no rule.
/// </summary>
public sealed class SecretRedactor(IReadOnlyList<SecretRule> rules, IReadOnlyCollection<string> allowed)
{
    public static SecretRedactor Default { get; } = new(SecretRules.Default, []);

    /// <summary>The text with its secrets replaced; the same instance when it held none.</summary>
    public string Redact(string text, out int redacted)
    {
        redacted = 0;
        if (string.IsNullOrEmpty(text))
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
                var secret = match.Groups[rule.SecretGroup];
                if (allowed.Contains(secret.Value))
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
