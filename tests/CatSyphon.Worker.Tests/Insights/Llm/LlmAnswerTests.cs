using CatSyphon.Worker.Insights.Llm;

namespace CatSyphon.Worker.Tests.Insights.Llm;

/// <summary>Reading an LLM's answer: tolerant of fences and chatter, strict about what it stores.</summary>
public sealed class LlmAnswerTests
{
    [Fact]
    public void An_answer_in_a_fence_after_a_sentence_is_read_and_bounded()
    {
        var items = string.Join(", ", Enumerable.Range(1, 8).Select(i => $"\"{new string('p', 300)}{i}\""));
        var answer = LlmAnswer.Parse($$"""
            Here is the JSON you asked for:
            ```json
            {"sentiment": "FRUSTRATED", "summary": "{{new string('s', 900)}}", "problems": [{{items}}], "features": "not a list", "learning_opportunities": ["", 3, " tests first "]}
            ```
            """);

        Assert.Equal("frustrated", answer.Sentiment);
        Assert.Equal(ColumnLimits.LlmSummary, answer.Summary.Length);
        Assert.Equal(ColumnLimits.LlmListItems, answer.Problems.Length);
        Assert.All(answer.Problems, p => Assert.Equal(ColumnLimits.LlmListItem, p.Length));
        Assert.Empty(answer.Features);
        Assert.Equal(["tests first"], answer.LearningOpportunities);
    }

    [Theory]
    [InlineData("The session went well.")]
    [InlineData("{\"sentiment\": \"positive\", \"summary\": ")]
    [InlineData("{\"sentiment\": \"ecstatic\", \"summary\": \"ok\"}")]
    [InlineData("{\"sentiment\": \"neutral\"}")]
    [InlineData("[\"positive\"]")]
    public void An_answer_without_a_known_sentiment_and_a_summary_is_malformed(string text) =>
        Assert.Throws<FormatException>(() => LlmAnswer.Parse(text));

    [Fact]
    public void A_long_rendering_keeps_its_start_and_its_end_within_the_limit()
    {
        var text = "START " + new string('m', 10_000) + " END";
        var kept = LlmPrompt.KeepEnds(text, 1_000);

        Assert.Equal(1_000, kept.Length);
        Assert.StartsWith("START ", kept);
        Assert.EndsWith(" END", kept);
        Assert.Contains("left out", kept);
        Assert.Same(text, LlmPrompt.KeepEnds(text, text.Length));
    }
}
