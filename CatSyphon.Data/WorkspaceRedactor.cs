using System.Text.RegularExpressions;
using CatSyphon.Contracts;
using CatSyphon.Protocol.Redaction;

namespace CatSyphon.Data;

/// <summary>
/// The redactor a workspace's own rules make with the built-in ones: the API redacts incoming events with it, and the
/// worker redacts again what it sends to an LLM (rules added since an event arrived apply too).
/// </summary>
public static class WorkspaceRedactor
{
    /// <summary>The label of a pattern added without one (its marker reads <c>[REDACTED:custom]</c>).</summary>
    public const string DefaultLabel = "custom";

    /// <summary>Patterns run without backtracking: whatever a person writes, matching stays linear in the text.</summary>
    public const RegexOptions PatternOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>The built-in rules, then the workspace's patterns; its allow-list applies to both.</summary>
    public static SecretRedactor Build(IEnumerable<RedactionRule> rules)
    {
        var patterns = new List<SecretRule>(SecretRules.Default);
        var allowed = new List<string>();
        foreach (var rule in rules)
        {
            if (rule.Kind == RedactionRuleKind.Allow)
            {
                allowed.Add(rule.Value);
            }
            else
            {
                patterns.Add(new SecretRule(rule.Label ?? DefaultLabel, new Regex(rule.Value, PatternOptions), []));
            }
        }

        return new SecretRedactor(patterns, allowed);
    }
}
