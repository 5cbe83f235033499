namespace CatSyphon.IntegrationTests;

/// <summary>
/// A session id is any 1..255 characters (contract): whatever <c>POST /collectors/events</c> accepts, the session's
/// status and <c>complete</c> find when it is URL-encoded into their path, <c>/</c> and <c>%</c> included.
/// </summary>
[Collection(RunningStackCollection.Name)]
public sealed class SessionIdRoutingTests(RunningStackFixture stack)
{
    [Theory]
    [InlineData("project/2026/session")]
    [InlineData("a%2Fb")]
    [InlineData("100% done")]
    [InlineData("what?x=1&y=2")]
    [InlineData("issue #12")]
    [InlineData("  spaced  out ")]
    [InlineData("séance-会话-\U0001F600")]
    [InlineData("back\\slash+plus;semi")]
    public async Task Status_and_complete_find_a_session_whatever_its_id_holds(string suffix)
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var sessionId = $"{Guid.NewGuid():N}:{suffix}";
        await collector.SendAcceptedAsync(sessionId, CollectorClient.Messages(1, 2, sequenced: true));

        var status = await collector.SessionAsync(sessionId);
        using var completed = await collector.Http.PostAsJsonAsync(
            $"/collectors/sessions/{Uri.EscapeDataString(sessionId)}/complete", new { outcome = "success", final_sequence = 2 });

        Assert.Equal(sessionId, status.GetProperty("session_id").GetString());
        Assert.Equal(2, status.GetProperty("last_sequence").GetInt64());
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        Assert.Equal(sessionId, (await CollectorClient.ReadJsonAsync(completed)).GetProperty("session_id").GetString());
    }

    [Fact]
    public async Task Ids_that_differ_only_in_how_a_slash_is_written_stay_apart()
    {
        using var collector = await CollectorClient.RegisterAsync(stack.App);
        var prefix = Guid.NewGuid().ToString("N");
        var slash = $"{prefix}/x";
        var encoded = $"{prefix}%2Fx";
        await collector.SendAcceptedAsync(slash, CollectorClient.Messages(1, 1, sequenced: true));
        await collector.SendAcceptedAsync(encoded, CollectorClient.Messages(1, 3, sequenced: true));

        Assert.Equal(1, (await collector.SessionAsync(slash)).GetProperty("last_sequence").GetInt64());
        Assert.Equal(3, (await collector.SessionAsync(encoded)).GetProperty("last_sequence").GetInt64());
        using var unknown = await collector.Http.GetAsync($"/collectors/sessions/{Uri.EscapeDataString($"{prefix}/y")}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
