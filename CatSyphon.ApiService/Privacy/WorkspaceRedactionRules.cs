using System.Text.RegularExpressions;
using CatSyphon.Protocol.Redaction;

namespace CatSyphon.ApiService.Privacy;

/// <summary>The bounds of a workspace's own redaction rules; <see cref="WorkspaceRedactor"/> builds their redactor.</summary>
public static partial class WorkspaceRedactionRules
{
    public const int MaxPatterns = 50;
    public const int MaxAllowed = 500;
    public const string DefaultLabel = WorkspaceRedactor.DefaultLabel;

    private const RegexOptions PatternOptions = WorkspaceRedactor.PatternOptions;

    /// <summary>What is wrong with a rule to add, by field; empty when it may be added.</summary>
    public static Dictionary<string, string[]> Check(CreateRedactionRuleRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Kind is null)
        {
            errors["kind"] = ["kind is required: pattern or allow."];
        }

        if (string.IsNullOrEmpty(request.Value) || request.Value.Length > ColumnLimits.RedactionRuleValue)
        {
            errors["value"] = [$"value is required: 1 to {ColumnLimits.RedactionRuleValue} characters."];
        }
        else if (request.Kind == RedactionRuleKind.Pattern && CheckPattern(request.Value) is { } problem)
        {
            errors["value"] = [problem];
        }

        if (request.Label is not null && (request.Kind != RedactionRuleKind.Pattern || !LabelPattern().IsMatch(request.Label)))
        {
            errors["label"] = ["label is for patterns only: 1 to 40 lowercase letters, digits and hyphens (the marker then reads [REDACTED:label])."];
        }

        return errors;
    }

    private static string? CheckPattern(string pattern)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, PatternOptions);
        }
        catch (NotSupportedException exception)
        {
            return $"value cannot run without backtracking (no lookarounds, backreferences or atomic groups): {exception.Message}";
        }
        catch (ArgumentException exception)
        {
            return $"value is not a regular expression: {exception.Message}";
        }

        // A pattern that matches nothing at all, or a marker, would redact between every character or redact its own work.
        if (regex.IsMatch(""))
        {
            return "value matches the empty string; it would match everywhere.";
        }

        return regex.IsMatch($"{SecretRule.MarkerPrefix}{DefaultLabel}]")
            ? "value matches a redaction marker ([REDACTED:...]); it would redact its own markers."
            : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex LabelPattern();
}
