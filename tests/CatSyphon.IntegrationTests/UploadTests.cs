namespace CatSyphon.IntegrationTests;

/// <summary>POST /api/uploads: log files through the collectors' own path.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class UploadTests(RunningStackFixture stack)
{
    private static readonly string[] Fixtures = Directory.GetFiles(
        Path.Combine(AppContext.BaseDirectory, "Fixtures", "claude", "projects"), "*.jsonl", SearchOption.AllDirectories);

    [Fact]
    public async Task Uploaded_logs_are_parsed_and_ingested_and_a_second_upload_stores_nothing_twice()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();

        var first = await UploadAsync(admin, workspace, Fixtures);
        var again = await UploadAsync(admin, workspace, Fixtures);

        Assert.Equal(2, first.Count);
        Assert.All(first, file =>
        {
            Assert.Equal("claude-code", file.GetProperty("agent_type").GetString());
            Assert.Equal(1, file.GetProperty("sessions").GetInt32());
            Assert.True(file.GetProperty("events").GetInt64() > 0);
            Assert.Equal(file.GetProperty("events").GetInt64(), file.GetProperty("accepted").GetInt64());
            Assert.Equal(JsonValueKind.Null, file.GetProperty("error").ValueKind);
        });
        Assert.All(again, file =>
        {
            Assert.Equal(0, file.GetProperty("accepted").GetInt64());
            Assert.Equal(file.GetProperty("events").GetInt64(), file.GetProperty("duplicates").GetInt64());
        });
    }

    [Fact]
    public async Task A_file_that_is_not_a_session_log_is_reported_not_stored()
    {
        var workspace = await CollectorClient.CreateWorkspaceAsync(stack.App);
        using var admin = stack.App.CreateAdminClient();
        var notes = Path.Combine(Path.GetTempPath(), $"notes-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(notes, "hello");
        try
        {
            var result = Assert.Single(await UploadAsync(admin, workspace, [notes]));
            Assert.Contains("Not a Claude Code, Codex, Gemini CLI, Aider or Cursor session log", result.GetProperty("error").GetString());
            Assert.Equal(0, result.GetProperty("accepted").GetInt64());
        }
        finally
        {
            File.Delete(notes);
        }
    }

    [Fact]
    public async Task Uploads_need_the_admin_token_and_a_known_workspace()
    {
        using var anonymous = stack.App.CreateHttpClient(ResourceNames.Api);
        using var admin = stack.App.CreateAdminClient();

        using var unauthorized = await anonymous.PostAsync($"/api/uploads?workspace_id={Guid.NewGuid()}", Form(Fixtures.Take(1)));
        using var unknown = await admin.PostAsync($"/api/uploads?workspace_id={Guid.NewGuid()}", Form(Fixtures.Take(1)));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    internal static MultipartFormDataContent Form(IEnumerable<string> files)
    {
        var form = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var content = new ByteArrayContent(File.ReadAllBytes(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            form.Add(content, "files", Path.GetFileName(file));
        }

        return form;
    }

    private static async Task<List<JsonElement>> UploadAsync(HttpClient admin, Guid workspace, IEnumerable<string> files)
    {
        using var response = await admin.PostAsync($"/api/uploads?workspace_id={workspace}", Form(files));
        var body = await CollectorClient.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("files").EnumerateArray().ToList();
    }
}
