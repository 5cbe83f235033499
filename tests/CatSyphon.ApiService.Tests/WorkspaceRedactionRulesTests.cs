using CatSyphon.ApiService.Privacy;
using CatSyphon.Contracts;
using CatSyphon.Data;

namespace CatSyphon.ApiService.Tests;

/// <summary>What a workspace may add as its own redaction rules, and what they do beside the built-in ones.</summary>
public sealed class WorkspaceRedactionRulesTests
{
    [Theory]
    [InlineData("(?<=key-)\\w+", "without backtracking")]
    [InlineData("(a)\\1", "without backtracking")]
    [InlineData("[unclosed", "not a regular expression")]
    [InlineData("x*", "empty string")]
    [InlineData("REDACTED", "marker")]
    public void A_pattern_that_could_backtrack_or_misbehave_is_refused_with_the_reason(string pattern, string reason)
    {
        var errors = WorkspaceRedactionRules.Check(new CreateRedactionRuleRequest(RedactionRuleKind.Pattern, pattern, null));

        Assert.Contains(reason, Assert.Single(errors["value"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "x", null, "kind")]
    [InlineData(RedactionRuleKind.Allow, "", null, "value")]
    [InlineData(RedactionRuleKind.Allow, "abc", "label", "label")]
    [InlineData(RedactionRuleKind.Pattern, "ACME-[0-9]{6}", "Not Valid!", "label")]
    public void Missing_or_misplaced_fields_are_named(RedactionRuleKind? kind, string value, string? label, string field)
    {
        Assert.True(WorkspaceRedactionRules.Check(new CreateRedactionRuleRequest(kind, value, label)).ContainsKey(field));
    }

    [Fact]
    public void A_value_longer_than_the_column_is_refused()
    {
        var errors = WorkspaceRedactionRules.Check(new CreateRedactionRuleRequest(RedactionRuleKind.Allow, new string('a', ColumnLimits.RedactionRuleValue + 1), null));

        Assert.True(errors.ContainsKey("value"));
    }

    [Fact]
    public void The_workspace_pattern_marks_with_its_label_and_the_allow_list_spares_a_built_in_match()
    {
        var redactor = WorkspaceRedactor.Build(
        [
            new RedactionRule { Kind = RedactionRuleKind.Pattern, Value = "ACME-[0-9]{6}", Label = "acme-ticket-key", CreatedBy = "admin" },
            new RedactionRule { Kind = RedactionRuleKind.Pattern, Value = "build=(?<secret>[a-f0-9]{8})", Label = "build-secret", CreatedBy = "admin" },
            new RedactionRule { Kind = RedactionRuleKind.Allow, Value = "AKIAIOSFODNN7EXAMPLE", CreatedBy = "admin" },
        ]);

        var text = "ticket ACME-123456 with AKIAIOSFODNN7EXAMPLE and AKIAZZZZZZZZZZZZZZZZ build=deadbeef";

        Assert.Equal(
            "ticket [REDACTED:acme-ticket-key] with AKIAIOSFODNN7EXAMPLE and [REDACTED:aws-access-key] build=[REDACTED:build-secret]",
            redactor.Redact(text, out var count));
        Assert.Equal(3, count);
    }
}
