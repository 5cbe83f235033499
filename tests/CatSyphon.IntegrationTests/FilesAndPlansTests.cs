namespace CatSyphon.IntegrationTests;

/// <summary>Files touched and plan versions from a Claude Code session's tool calls, after a push.</summary>
[Collection(RunningStackCollection.Name)]
public sealed class FilesAndPlansTests(RunningStackFixture stack) : CollectorHomeTest(stack, "catsyphon-plans-")
{
    private static readonly ClaudeLines Log = new("5f1c2a9e-0000-4000-8000-0000000000f1", "/home/dev/demo");

    [Fact]
    public async Task Edits_writes_and_plan_mode_become_files_touched_and_plan_versions()
    {
        var project = Directory.CreateDirectory(Path.Combine(Home.FullName, "projects", "-home-dev-demo"));
        File.WriteAllLines(Path.Combine(project.FullName, $"{Log.SessionId}.jsonl"),
        [
            ToolUse("t1", "2026-03-01T10:00:00Z", "Edit", """{"file_path":"/home/dev/demo/src/app.py","old_string":"a\nb","new_string":"a\nb\nc\nd"}"""),
            ToolUse("t2", "2026-03-01T10:01:00Z", "Write", """{"file_path":"/home/dev/demo/README.md","content":"one\ntwo\nthree"}"""),
            ToolUse("t3", "2026-03-01T10:02:00Z", "ExitPlanMode", """{"plan":"1. Parse\n2. Store"}"""),
            ToolUse("t4", "2026-03-01T10:03:00Z", "ExitPlanMode", """{"plan":"1. Parse\n2. Store\n3. Test"}"""),
        ]);
        var workspace = await RegisterInNewWorkspaceAsync();
        Assert.Equal(0, (await RunAsync("push", Path.Combine(Home.FullName, "projects"))).Exit);

        await using var connection = new NpgsqlConnection(await App.GetConnectionStringAsync(ResourceNames.Database));
        await connection.OpenAsync();
        List<(string Path, string Kind, int? Added, int? Deleted)> files = [];
        for (var attempt = 0; attempt < 150 && files.Count < 2; attempt++)
        {
            files = await QueryAsync(connection, workspace,
                "SELECT f.path, f.change_kind, f.lines_added, f.lines_deleted FROM files_touched f JOIN conversations c ON c.id = f.conversation_id WHERE c.workspace_id = $1 ORDER BY f.path",
                reader => (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? (int?)null : reader.GetInt32(2), reader.IsDBNull(3) ? (int?)null : reader.GetInt32(3)));
            await Task.Delay(200);
        }

        var versions = await QueryAsync(connection, workspace,
            "SELECT p.identifier, v.version, v.content FROM plan_versions v JOIN plans p ON p.id = v.plan_id JOIN conversations c ON c.id = p.conversation_id WHERE c.workspace_id = $1 ORDER BY v.version",
            reader => (reader.GetString(0), reader.GetInt32(1), reader.GetString(2)));

        Assert.Equal(2, files.Count);
        Assert.Equal("/home/dev/demo/README.md", files[0].Path);
        Assert.Equal(3, files[0].Added);
        Assert.Equal("/home/dev/demo/src/app.py", files[1].Path);
        Assert.Equal(4, files[1].Added);
        Assert.Equal(2, files[1].Deleted);
        Assert.Equal(
            [("plan-mode", 1, "1. Parse\n2. Store"), ("plan-mode", 2, "1. Parse\n2. Store\n3. Test")],
            versions);
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, Guid workspace, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = workspace } } };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>A reply that is one tool call.</summary>
    private static string ToolUse(string uuid, string timestamp, string tool, string toolInput) =>
        Log.Assistant(uuid, timestamp, $"msg_{uuid}", "claude-opus-4-6",
            $$"""[{"type":"tool_use","id":"toolu_{{uuid}}","name":"{{tool}}","input":{{toolInput}}}]""", input: 1, output: 1);
}
