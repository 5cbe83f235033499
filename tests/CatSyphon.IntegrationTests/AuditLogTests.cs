namespace CatSyphon.IntegrationTests;

/// <summary>The audit log names who did what to which target, when and from where, and never holds a secret.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class AuditLogTests(RunningStackFixture stack)
{
    private CatSyphonApp App => stack.App;

    [Fact]
    public async Task Sign_ins_tokens_and_role_changes_are_audited_with_actor_target_and_address_and_no_secret()
    {
        var team = await CollectorClient.CreateWorkspaceAsync(App);
        using var owner = await TeamPeople.CreateAsync(App, "owner");
        using var member = await TeamPeople.CreateMemberAsync(App, team, "viewer");
        using var anonymous = App.CreateHttpClient(ResourceNames.Api);
        const string wrongPassword = "not the password at all";
        using var failed = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = member.Email, password = wrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        using var created = await member.Http.PostAsJsonAsync("/api/me/tokens", new { name = "audit me" });
        var token = await CollectorClient.ReadJsonAsync(created);
        using var revoked = await member.Http.DeleteAsync($"/api/me/tokens/{token.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);

        var entries = await ReadAllAsync(owner.Http, $"/api/audit?limit=25&from={DateTimeOffset.UtcNow.AddMinutes(-5):O}".Replace("+", "%2B"));
        var mine = entries.Where(e => e.GetProperty("target_id").GetString() is { } target
                                      && (target == member.Id.ToString() || target == token.GetProperty("id").GetGuid().ToString())).ToList();
        Assert.Contains(mine, e => Is(e, "user.created", "admin"));
        Assert.Contains(mine, e => Is(e, "member.role_set", "admin") && e.GetProperty("workspace_id").GetGuid() == team);
        Assert.Contains(mine, e => Is(e, "signin.succeeded", $"user:{member.Id}"));
        Assert.Contains(mine, e => Is(e, "signin.failed", "anonymous") && e.GetProperty("details").GetProperty("reason").GetString() == "wrong_password");
        Assert.Contains(mine, e => Is(e, "token.created", $"user:{member.Id}"));
        Assert.Contains(mine, e => Is(e, "token.revoked", $"user:{member.Id}"));
        Assert.All(mine, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("address").GetString())));

        var everything = string.Join("\n", entries.Select(e => e.GetRawText()));
        foreach (var secret in new[] { member.Password, wrongPassword, member.AccessToken, token.GetProperty("token").GetString()!, owner.AccessToken })
        {
            Assert.DoesNotContain(secret, everything);
        }

        using var forbidden = await member.Http.GetAsync("/api/audit");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    private static bool Is(JsonElement entry, string action, string actor) =>
        entry.GetProperty("action").GetString() == action && entry.GetProperty("actor").GetString() == actor;

    /// <summary>Every page, following next_cursor: keyset paging must neither repeat nor skip an entry.</summary>
    private static async Task<List<JsonElement>> ReadAllAsync(HttpClient http, string first)
    {
        var entries = new List<JsonElement>();
        for (var path = first; ;)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(path);
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            if (page.GetProperty("next_cursor").GetString() is not { } cursor)
            {
                break;
            }

            path = $"{first}&cursor={Uri.EscapeDataString(cursor)}";
        }

        Assert.Equal(entries.Count, entries.Select(e => e.GetProperty("id").GetGuid()).Distinct().Count());
        Assert.True(entries.Zip(entries.Skip(1)).All(pair => pair.First.GetProperty("occurred_at").GetDateTimeOffset() >= pair.Second.GetProperty("occurred_at").GetDateTimeOffset()));
        return entries;
    }
}
