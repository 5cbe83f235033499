using CatSyphon.Web.Api;
using CatSyphon.Web.Components.Sessions;

namespace CatSyphon.Web.Tests;

public sealed class TranscriptTests : WebComponentTest
{
    private static readonly Guid Workspace = Guid.NewGuid();
    private static readonly Guid Conversation = Guid.NewGuid();

    [Fact]
    public void A_long_transcript_is_fetched_a_page_at_a_time_and_only_part_of_it_is_rendered()
    {
        Answer = call => call switch
        {
            _ when call == $"GET /api/conversations/{Conversation}/messages?workspace_id={Workspace}&limit=500" => Page(1, 500, next: 500),
            _ when call == $"GET /api/conversations/{Conversation}/messages?workspace_id={Workspace}&after=500&limit=500" => Page(501, 500, next: null),
            _ => null,
        };

        var transcript = Render<Transcript>(parameters => parameters.Add(p => p.WorkspaceId, Workspace).Add(p => p.ConversationId, Conversation));

        transcript.WaitForAssertion(() => Assert.Contains("500 events shown.", transcript.Markup));
        // Without a real viewport bUnit's Virtualize renders a first window; what counts is that it is not all of them.
        Assert.InRange(transcript.FindAll("article").Count, 1, 200);

        transcript.Find(".transcript-more button").Click();

        transcript.WaitForAssertion(() => Assert.Empty(transcript.FindAll(".transcript-more")));
        Assert.InRange(transcript.FindAll("article").Count, 1, 200);
        Assert.Equal(2, Requests.Count);
    }

    private static TranscriptPage Page(long first, int count, long? next) => new(
        Conversation,
        Enumerable.Range(0, count).Select(i => new TranscriptEntry(first + i, "message", i % 2 == 0 ? "human" : "assistant", null,
            $"message {first + i}", null, null, null, null, null, DateTimeOffset.UnixEpoch.AddMinutes(first + i), null, null, null)).ToList(),
        next);
}
