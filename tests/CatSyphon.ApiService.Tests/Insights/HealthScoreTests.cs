using CatSyphon.ApiService.Apis.Query.Insights;
using CatSyphon.Contracts;

namespace CatSyphon.ApiService.Tests.Insights;

/// <summary>The project health score: each part's formula, the weights renormalised over parts with data, too little data, the trend.</summary>
public sealed class HealthScoreTests
{
    private static readonly Guid Project = Guid.NewGuid();

    /// <summary>10 tagged sessions: 6 success, 2 partial, 2 failed; 10 tool errors (2 unresolved); 6 corrections; 8 changed files, 6 of them ran tests, 4 ended passing.</summary>
    private static readonly HealthCounts Busy = new(
        Sessions: 11, Tagged: 10, Success: 6, Partial: 2, Decided: 10, ToolErrors: 10, UnresolvedErrors: 2, Iterations: 6,
        Changed: 8, ChangedTested: 6, ChangedPassing: 4);

    private static readonly HealthCounts HalfSucceeded = HealthCounts.None with { Tagged = 10, Success = 5, Decided = 10 };

    [Fact]
    public void Every_part_follows_its_formula_and_the_score_is_their_weighted_mean()
    {
        var health = HealthScore.Compute(Project, "api", Busy, HalfSucceeded);

        Assert.Equal(70, Part(health, "success_rate").Score);          // (6 + 2/2) / 10
        Assert.Equal(80, Part(health, "errors").Score);                // 50 × (1 − 1/5) + 50 × 8/10
        Assert.Equal(80, Part(health, "iterations").Score);            // 100 × (1 − 0.6/3)
        Assert.Equal(63, Part(health, "test_discipline").Score);       // 50 × 6/8 + 50 × 4/8 = 62.5
        Assert.Equal(70, Part(health, "trend").Score);                 // 50 + (70 − 50)
        Assert.Equal(72, health.Score);                                // .35×70 + .2×80 + .15×80 + .2×63 + .1×70 = 72.1
        Assert.Null(health.NotEnoughData);
        Assert.Equal(1.0, health.Parts.Sum(p => p.AppliedWeight), 3);
        Assert.Equal((11, 10), (health.Sessions, health.TaggedSessions));
        Assert.Equal(2, Part(health, "errors").Numbers["unresolved"]);
        Assert.Equal(0.8, Part(health, "errors").Numbers["resolved_share"]);
        Assert.Contains("6 of 8 sessions that changed files ran tests, 4 ended on a passing run", Part(health, "test_discipline").Explanation);
    }

    [Fact]
    public void Parts_without_enough_data_say_so_and_the_others_weights_are_renormalised()
    {
        var health = HealthScore.Compute(Project, "api", Busy with { Changed = 2, ChangedTested = 2, ChangedPassing = 2 }, HealthCounts.None);

        Assert.Null(Part(health, "test_discipline").Score);
        Assert.StartsWith("not enough data: 2 sessions changed files", Part(health, "test_discipline").Explanation);
        Assert.Null(Part(health, "trend").Score);
        Assert.Equal(0, Part(health, "trend").AppliedWeight);
        Assert.Equal(0.5, Part(health, "success_rate").AppliedWeight);  // .35 / (.35 + .2 + .15)
        Assert.Equal(0.2857, Part(health, "errors").AppliedWeight);
        Assert.Equal(75, health.Score);                                 // (.35×70 + .2×80 + .15×80) / .7
    }

    [Fact]
    public void A_project_with_fewer_tagged_sessions_than_the_minimum_has_no_score_but_shows_its_numbers()
    {
        var few = HealthCounts.None with { Sessions = 9, Tagged = 4, Success = 4, Decided = 4 };

        var health = HealthScore.Compute(Project, "tiny", few, HealthCounts.None);

        Assert.Null(health.Score);
        Assert.Equal("not enough data: 4 tagged sessions in the period, 5 needed", health.NotEnoughData);
        Assert.Equal(100, Part(health, "success_rate").Score);
        Assert.All(health.Parts, part => Assert.Equal(0, part.AppliedWeight));
        Assert.Equal(5, HealthScore.Compute(Project, "enough", few with { Tagged = 5, Decided = 5, Success = 5 }, HealthCounts.None).TaggedSessions);
        Assert.NotNull(HealthScore.Compute(Project, "enough", few with { Tagged = 5, Decided = 5, Success = 5 }, HealthCounts.None).Score);
    }

    [Fact]
    public void The_trend_is_fifty_plus_the_change_in_points_kept_within_0_and_100()
    {
        var allSucceeded = HealthCounts.None with { Tagged = 5, Success = 5, Decided = 5 };
        var fifthSucceeded = HealthCounts.None with { Tagged = 5, Success = 1, Decided = 5 };

        Assert.Equal(100, Part(HealthScore.Compute(Project, "up", allSucceeded, fifthSucceeded), "trend").Score);   // +80 points
        Assert.Equal(0, Part(HealthScore.Compute(Project, "down", fifthSucceeded, allSucceeded), "trend").Score);   // −80 points
        Assert.Equal(50, Part(HealthScore.Compute(Project, "flat", allSucceeded, allSucceeded), "trend").Score);
        Assert.Null(Part(HealthScore.Compute(Project, "new", allSucceeded, allSucceeded with { Decided = 2, Success = 2 }), "trend").Score);
    }

    [Fact]
    public void Partial_counts_half_unknown_is_left_out_and_no_errors_scores_full_recovery()
    {
        var partials = HealthCounts.None with { Tagged = 6, Partial = 4, Decided = 4 };

        var health = HealthScore.Compute(Project, "p", partials, HealthCounts.None);

        Assert.Equal(50, Part(health, "success_rate").Score);
        Assert.Equal(100, Part(health, "errors").Score);
        Assert.Equal(100, Part(health, "iterations").Score);
    }

    private static HealthPart Part(ProjectHealth health, string name) => Assert.Single(health.Parts, p => p.Name == name);
}
