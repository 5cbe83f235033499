using CatSyphon.Worker.Insights;

namespace CatSyphon.Worker.Tests.Insights;

/// <summary>The tagging rules against hand-made sessions: each outcome, each intent, and the edge cases between them.</summary>
public sealed class SessionTaggerTests
{
    [Fact]
    public void Passing_tests_at_the_end_are_success_with_the_run_as_evidence()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Add a --verbose flag to the CLI")
            .Edit("/repo/src/Cli.cs")
            .Bash("dotnet test", "Passed!  - Failed: 0, Passed: 12")
            .Assistant("Added the flag; all tests pass.")
            .Build());

        Assert.Equal(SessionOutcome.Success, tags.Outcome);
        Assert.Equal(SessionIntent.Feature, tags.Intent);
        var why = Assert.Single(evidence, e => e.Tag == "outcome");
        Assert.Contains("last test run passed", why.Detail);
        Assert.Equal(3, why.Sequence);
        Assert.Equal(["csharp"], tags.Languages);
        Assert.Equal(["src"], tags.Areas);
        Assert.Equal(["Bash", "Edit"], tags.Tools);
    }

    [Fact]
    public void Errors_that_are_recovered_do_not_make_a_session_failed()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder()
            .User("The parser crashes on empty input, fix it")
            .Edit("/repo/src/parser.py", failed: true)
            .Edit("/repo/src/parser.py")
            .Bash("pytest -q", "E   AssertionError\n1 failed", failed: true)
            .Edit("/repo/src/parser.py")
            .Bash("pytest -q", "12 passed in 0.3s")
            .Assistant("Fixed.")
            .Build());

        Assert.Equal(SessionOutcome.Success, tags.Outcome);
        Assert.Equal(SessionIntent.BugFix, tags.Intent);
        Assert.Equal(2, tags.ErrorCount);
        Assert.Contains(evidence, e => e.Tag == "errors" && e.Detail.Contains("2 tool calls failed, 0 never resolved"));
        Assert.Contains(evidence, e => e.Tag == "tests" && e.Detail.Contains("2 test runs, 1 passed"));
    }

    [Fact]
    public void A_bug_report_as_the_first_prompt_is_the_task_not_a_complaint()
    {
        var (tags, _, _) = SessionTagger.Tag(new SessionBuilder()
            .User("The checkout total is wrong when a coupon is applied, it doesn't work")
            .Edit("/repo/src/checkout.py")
            .Assistant("Fixed: the coupon was applied twice.")
            .Build());

        Assert.Equal(SessionOutcome.Success, tags.Outcome);
        Assert.Equal(SessionIntent.BugFix, tags.Intent);
    }

    [Fact]
    public void Tests_failing_at_the_end_make_a_session_failed_even_after_earlier_passes()
    {
        var (tags, _, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Fix the flaky login test")
            .Bash("npm test", "Tests: 10 passed, 10 total")
            .Edit("/repo/web/login.test.ts")
            .Bash("npm test", "FAIL web/login.test.ts\nTests: 1 failed, 9 passed, 10 total", failed: true)
            .Assistant("One test still fails; I could not find why.")
            .Build());

        Assert.Equal(SessionOutcome.Failed, tags.Outcome);
        Assert.Equal(SessionIntent.BugFix, tags.Intent);
    }

    [Fact]
    public void A_person_who_interrupts_and_leaves_abandoned_the_session()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Rename the Widget class to Gadget everywhere")
            .Edit("/repo/src/Widget.cs")
            .Interrupt()
            .Build());

        Assert.Equal(SessionOutcome.Abandoned, tags.Outcome);
        Assert.Equal(SessionIntent.Refactor, tags.Intent);
        Assert.Contains(evidence, e => e.Tag == "outcome" && e.Detail.Contains("interrupted") && e.Sequence == 3);
    }

    [Fact]
    public void An_interruption_followed_by_more_work_is_not_abandonment()
    {
        var (tags, _, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Write a docstring for every public function in utils.py")
            .Interrupt()
            .User("Only for the public ones, not private helpers")
            .Edit("/repo/utils.py")
            .Assistant("Done.")
            .User("thanks!")
            .Build());

        Assert.Equal(SessionOutcome.Success, tags.Outcome);
        Assert.Equal(SessionIntent.Docs, tags.Intent);
    }

    [Fact]
    public void A_prompt_with_no_answer_is_abandoned()
    {
        var (tags, _, _) = SessionTagger.Tag(new SessionBuilder().User("How do I run the benchmarks?").Build());

        Assert.Equal(SessionOutcome.Abandoned, tags.Outcome);
        Assert.Equal(SessionIntent.Exploration, tags.Intent);
    }

    [Fact]
    public void Work_with_an_unresolved_error_is_partial()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Add a Dockerfile and a GitHub Actions workflow that builds the image")
            .Edit("/repo/Dockerfile")
            .Edit("/repo/.github/workflows/build.yml")
            .Bash("docker build .", "Cannot connect to the Docker daemon", failed: true)
            .Assistant("The files are written; Docker is not running here so I could not build.")
            .Build());

        Assert.Equal(SessionOutcome.Partial, tags.Outcome);
        Assert.Equal(SessionIntent.Ops, tags.Intent);
        Assert.Equal(["ci"], tags.Areas);
        Assert.Contains(evidence, e => e.Tag == "outcome" && e.Detail.Contains("Docker daemon"));
    }

    [Fact]
    public void A_complaint_as_the_last_words_with_errors_left_is_failed_and_counts_iterations()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder()
            .User("The upload page returns 500, fix it")
            .Bash("curl localhost:8080/upload", "500 Internal Server Error", failed: true)
            .Assistant("Try now.")
            .User("No, it still fails with the same error")
            .Bash("curl localhost:8080/upload", "500 Internal Server Error", failed: true)
            .Assistant("I changed the handler.")
            .User("it still doesn't work")
            .Assistant("Sorry about that.")
            .Build());

        Assert.Equal(SessionOutcome.Failed, tags.Outcome);
        Assert.Equal(2, tags.Iterations);
        Assert.Equal(2, evidence.Count(e => e.Tag == "iterations"));
    }

    [Fact]
    public void A_commit_is_evidence_of_success()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Extract the retry loop into its own class and clean up the client")
            .Edit("/repo/lib/client.rb")
            .Bash("git commit -am 'Extract Retry'", "[main 1a2b3c] Extract Retry")
            .Assistant("Committed.")
            .Build());

        Assert.Equal(SessionOutcome.Success, tags.Outcome);
        Assert.Equal(SessionIntent.Refactor, tags.Intent);
        Assert.Contains(evidence, e => e.Tag == "outcome" && e.Detail.Contains("commit"));
        Assert.Equal(["ruby"], tags.Languages);
    }

    [Fact]
    public void Writing_only_test_files_is_a_tests_session()
    {
        var (tags, _, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Increase the coverage of the billing module")
            .Edit("/repo/tests/test_billing.py")
            .Bash("pytest tests/test_billing.py", "8 passed in 0.12s")
            .Assistant("Added 8 tests.")
            .Build());

        Assert.Equal(SessionIntent.Tests, tags.Intent);
        Assert.Equal(["tests"], tags.Areas);
    }

    [Fact]
    public void Questions_with_no_change_are_exploration_and_talk_alone_is_unknown()
    {
        var (tags, _, _) = SessionTagger.Tag(new SessionBuilder()
            .User("Explain how the ingestion lanes share the stream lease")
            .Assistant("Each lane holds a lease...")
            .Build());

        Assert.Equal(SessionIntent.Exploration, tags.Intent);
        Assert.Equal(SessionOutcome.Unknown, tags.Outcome);
    }

    [Fact]
    public void A_session_of_no_known_kind_is_other_and_takes_the_collectors_outcome()
    {
        var (tags, evidence, _) = SessionTagger.Tag(new SessionBuilder().User("hello").Assistant("Hi!").Build(storedOutcome: "success"));

        Assert.Equal(SessionIntent.Other, tags.Intent);
        Assert.Equal(SessionOutcome.Success, tags.Outcome);
        Assert.Contains(evidence, e => e.Tag == "outcome" && e.Detail.Contains("collector reported"));
    }

    [Fact]
    public void Evidence_quotes_stay_short_whatever_the_prompt()
    {
        var (_, evidence, _) = SessionTagger.Tag(new SessionBuilder().User("fix " + new string('x', 5_000)).Assistant("ok").Build());

        Assert.All(evidence, e => Assert.True(e.Detail.Length < 200, e.Detail));
    }

    [Fact]
    public void Measures_count_test_runs_commits_changed_files_and_what_unresolved_errors_failed_on()
    {
        var (_, _, measures) = SessionTagger.Tag(new SessionBuilder()
            .User("Make the importer accept CSV files")
            .Edit("/repo/src/importer.py")
            .Edit("/repo/src/csv.py")
            .Bash("pytest -q", "E   AssertionError\n1 failed", failed: true)
            .Bash("pytest -q", "8 passed in 0.2s")
            .Bash("git commit -am 'CSV import'", "[main 9f8e7d] CSV import")
            .Bash("docker build .", "Cannot connect to the Docker daemon", failed: true)
            .Bash("docker build .", "Cannot connect to the Docker daemon", failed: true)
            .Assistant("The importer reads CSV; the image could not be built here.")
            .Build());

        Assert.Equal(2, measures.TestRuns);
        Assert.Equal(1, measures.TestsPassed);
        Assert.True(measures.LastTestPassed);
        Assert.Equal(1, measures.Commits);
        Assert.Equal(2, measures.FilesChanged);
        Assert.Equal(2, measures.UnresolvedErrors);
        Assert.Equal(["Bash:docker"], measures.ErrorTargets);
    }

    [Fact]
    public void A_session_without_tests_has_no_last_test_result_and_a_failing_last_run_is_false()
    {
        var (_, _, untested) = SessionTagger.Tag(new SessionBuilder().User("How does the cache work?").Assistant("It is an LRU.").Build());
        var (_, _, failing) = SessionTagger.Tag(new SessionBuilder()
            .User("Fix the flaky login test")
            .Edit("/repo/web/login.test.ts")
            .Bash("npm test", "FAIL web/login.test.ts\nTests: 1 failed, 9 passed, 10 total", failed: true)
            .Assistant("Still failing.")
            .Build());

        Assert.Null(untested.LastTestPassed);
        Assert.Equal((0, 0, 0, 0), (untested.TestRuns, untested.Commits, untested.UnresolvedErrors, untested.FilesChanged));
        Assert.Empty(untested.ErrorTargets);
        Assert.False(failing.LastTestPassed);
        Assert.Equal((1, 0, 1), (failing.TestRuns, failing.TestsPassed, failing.FilesChanged));
    }
}
