namespace CatSyphon.Protocol.Tests.Parsing;

public sealed class AgentFormatRegistryTests : IDisposable
{
    private const string Uuid = "0199a213-81c0-7800-8aa1-bbab2a035a53";
    private static readonly AgentFormatRegistry Formats = AgentFormatRegistry.Default;
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("catsyphon-formats-");

    public void Dispose() => temp.Delete(recursive: true);

    private static AgentHost Host(AgentPlatform platform, string home, params (string Name, string Value)[] environment) =>
        new(platform, home, name => environment.FirstOrDefault(pair => pair.Name == name).Value);

    [Fact]
    public void The_registry_lists_claude_code_codex_gemini_cli_aider_then_cursor()
    {
        Assert.Equal([AgentTypes.ClaudeCode, AgentTypes.Codex, AgentTypes.GeminiCli, AgentTypes.Aider, AgentTypes.Cursor, AgentTypes.Cursor],
            Formats.All.Select(format => format.AgentType));
        Assert.Equal("Claude Code, Codex, Gemini CLI, Aider or Cursor", Formats.DisplayNames("or"));
        Assert.All(Formats.All, format => Assert.Equal(format.AgentType, format.Parser.AgentType));
    }

    [Theory]
    [InlineData(AgentTypes.ClaudeCode, "Claude Code")]
    [InlineData(AgentTypes.GeminiCli, "Gemini CLI")]
    [InlineData(AgentTypes.Aider, "Aider")]
    [InlineData("Claude-Code", "Claude-Code")] // agent types are compared exactly, as the server stores them
    [InlineData("some-new-agent", "some-new-agent")]
    [InlineData(null, "—")]
    public void An_agent_type_is_shown_by_its_formats_name_or_as_sent(string? agentType, string shown) =>
        Assert.Equal(shown, Formats.DisplayNameOf(agentType));

    [Theory]
    [InlineData("/home/u/.claude/projects/-home-u-proj/" + Uuid + ".jsonl", AgentTypes.ClaudeCode)]
    [InlineData("/home/u/.claude/projects/-home-u-proj/agent-a1b2.jsonl", AgentTypes.ClaudeCode)]
    [InlineData("/home/u/.claude/projects/-home-u-proj/" + Uuid + "/subagents/agent-a1b2.jsonl", AgentTypes.ClaudeCode)]
    [InlineData(@"C:\Users\u\.claude\projects\-p\" + Uuid + ".jsonl", AgentTypes.ClaudeCode)]
    [InlineData("/home/u/.codex/sessions/2025/10/05/rollout-2025-10-05T10-00-00-" + Uuid + ".jsonl", AgentTypes.Codex)]
    [InlineData(@"C:\Users\u\.codex\sessions\2025\10\05\rollout-x.jsonl", AgentTypes.Codex)]
    [InlineData("/home/u/.codex/sessions/rollout-x.jsonl", null)]
    [InlineData("/home/u/.claude/projects/-p/" + Uuid + ".json", null)]
    [InlineData("/home/u/.gemini/tmp/my-app/chats/session-2026-04-23T12-52-0ab84937.jsonl", AgentTypes.GeminiCli)]
    [InlineData(@"C:\Users\u\.gemini\tmp\ab14fe39\chats\session-2025-10-05T07-11-eefc44a3.json", AgentTypes.GeminiCli)]
    [InlineData("/home/u/.gemini/tmp/my-app/chats/" + Uuid + "/0ab84937-9fe7-4284-986a-33c832af0b6a.jsonl", AgentTypes.GeminiCli)]
    [InlineData("/home/u/.gemini/tmp/my-app/logs.json", null)]
    [InlineData("/home/u/.gemini/tmp/my-app/checkpoint-mytag.json", null)]
    [InlineData("/home/u/.gemini/tmp/my-app/chats/notes.json", null)]
    [InlineData("/home/u/.config/Cursor/User/workspaceStorage/f87f6e0b2cf1ae8645cc0c5ffaa99529/state.vscdb", AgentTypes.Cursor)]
    [InlineData(@"C:\Users\u\AppData\Roaming\Cursor\User\globalStorage\state.vscdb", AgentTypes.Cursor)]
    [InlineData("/home/u/.config/Cursor/User/globalStorage/state.vscdb-wal", null)]
    [InlineData("/home/u/.config/Cursor/User/globalStorage/state.vscdb.backup", null)]
    [InlineData("/home/u/.cursor/chats/0123456789abcdef0123456789abcdef/" + Uuid + "/store.db", AgentTypes.Cursor)]
    [InlineData("/home/u/.cursor/chats/store.db", null)]
    [InlineData("/home/u/.cursor/ai-tracking/ai-code-tracking.db", null)]
    [InlineData("/home/u/.cursor/projects/home-u-app/agent-transcripts/" + Uuid + "/" + Uuid + ".jsonl", AgentTypes.Cursor)]
    [InlineData("/home/u/.cursor/projects/home-u-app/agent-transcripts/" + Uuid + "/subagents/0ab84937.jsonl", AgentTypes.Cursor)]
    [InlineData("/home/u/.cursor/projects/home-u-app/agent-transcripts/" + Uuid + "/other.jsonl", null)]
    [InlineData("/home/u/notes.txt", null)]
    public void Each_format_recognises_its_own_files_and_not_the_others(string path, string? agentType)
    {
        Assert.Equal(agentType, Formats.For(path)?.AgentType);
        Assert.Equal(agentType is null ? 0 : 1, Formats.All.Count(format => format.Recognizes(path))); // no other format claims it
    }

    [Theory]
    [InlineData(AgentPlatform.Linux, "/home/u", "/home/u/.claude/projects", "/home/u/.codex/sessions", "/home/u/.gemini/tmp")]
    [InlineData(AgentPlatform.MacOS, "/Users/u", "/Users/u/.claude/projects", "/Users/u/.codex/sessions", "/Users/u/.gemini/tmp")]
    [InlineData(AgentPlatform.Windows, @"C:\Users\u", @"C:\Users\u\.claude\projects", @"C:\Users\u\.codex\sessions", @"C:\Users\u\.gemini\tmp")]
    [InlineData(AgentPlatform.Linux, "/", "/.claude/projects", "/.codex/sessions", "/.gemini/tmp")]
    public void Default_folders_are_in_the_home_folder_on_each_os(AgentPlatform platform, string home, string claude, string codex, string gemini) =>
        Assert.Equal([claude, codex, gemini], Formats.DefaultFolders(Host(platform, home)).Take(3)); // Cursor's: CursorFormatTests

    [Theory]
    [InlineData(AgentPlatform.Linux, "/srv/claude", "/srv/codex/", "/srv/gemini", "/srv/claude/projects", "/srv/codex/sessions", "/srv/gemini/.gemini/tmp")]
    [InlineData(AgentPlatform.MacOS, "/opt/claude", "/opt/codex", "/opt/gemini/", "/opt/claude/projects", "/opt/codex/sessions", "/opt/gemini/.gemini/tmp")]
    [InlineData(AgentPlatform.Windows, @"D:\claude", @"D:\codex\", @"D:\gemini", @"D:\claude\projects", @"D:\codex\sessions", @"D:\gemini\.gemini\tmp")]
    public void The_agents_own_variables_move_their_folders(
        AgentPlatform platform, string claudeDir, string codexHome, string geminiHome, string claude, string codex, string gemini)
    {
        var host = Host(platform, "/home/u", (ClaudeCodeFormat.ConfigDirVariable, claudeDir), (CodexFormat.HomeVariable, codexHome),
            (GeminiFormat.HomeVariable, geminiHome));

        Assert.Equal([claude, codex, gemini], Formats.DefaultFolders(host).Take(3));
    }

    [Fact]
    public void An_empty_variable_is_no_override()
    {
        var host = Host(AgentPlatform.Linux, "/home/u", (ClaudeCodeFormat.ConfigDirVariable, ""), (CodexFormat.HomeVariable, ""), (GeminiFormat.HomeVariable, ""));

        Assert.Equal(["/home/u/.claude/projects", "/home/u/.codex/sessions", "/home/u/.gemini/tmp"], Formats.DefaultFolders(host).Take(3));
    }

    [Fact]
    public void Help_text_shows_the_folders_below_a_tilde_home()
    {
        var described = Formats.DefaultFolders(AgentHost.Described()).Take(3);

        Assert.Equal(
            OperatingSystem.IsWindows()
                ? [@"~\.claude\projects", @"~\.codex\sessions", @"~\.gemini\tmp"]
                : ["~/.claude/projects", "~/.codex/sessions", "~/.gemini/tmp"],
            described);
        Assert.Equal("a, b and c", AgentFormatRegistry.ListInWords(["a", "b", "c"], "and"));
    }

    [Theory]
    [InlineData("rollout-2025-10-05T10-00-00-" + Uuid + ".jsonl", """{"type":"response_item"}""", AgentTypes.Codex)]
    [InlineData("export.jsonl", """{"timestamp":"2025-10-05T10:00:00Z","type":"session_meta","payload":{}}""", AgentTypes.Codex)]
    [InlineData(Uuid + ".jsonl", """{"type":"user","sessionId":"x"}""", AgentTypes.ClaudeCode)]
    [InlineData("agent-a1b2.JSONL", """{"type":"assistant"}""", AgentTypes.ClaudeCode)]
    [InlineData("empty.jsonl", "", AgentTypes.ClaudeCode)]
    [InlineData("session-2026-04-23T12-52-0ab84937.jsonl", """{"sessionId":"0ab84937","projectHash":"9da8","kind":"main"}""", AgentTypes.GeminiCli)]
    [InlineData("session-2025-10-05T07-11-eefc44a3.json", "{", AgentTypes.GeminiCli)]
    [InlineData("export.jsonl", """{"sessionId":"0ab84937","projectHash":"9da8","startTime":"2026-04-23T12:52:52.759Z"}""", AgentTypes.GeminiCli)]
    [InlineData("logs.json", """[{"sessionId":"0ab84937","messageId":0}]""", null)]
    [InlineData("rollout-x.json", """{"type":"session_meta"}""", null)]
    [InlineData("notes.txt", "hello", null)]
    public async Task An_upload_goes_to_the_format_its_name_and_first_line_say(string fileName, string firstLine, string? agentType)
    {
        var path = Path.Combine(temp.FullName, "upload.tmp");
        await File.WriteAllTextAsync(path, firstLine + "\n{}\n");

        var format = await Formats.ForUploadAsync(fileName, path, CancellationToken.None);

        Assert.Equal(agentType, format?.AgentType);
    }

    [Fact]
    public async Task An_upload_whose_name_matches_no_format_is_not_opened()
    {
        Assert.Null(await Formats.ForUploadAsync("notes.txt", Path.Combine(temp.FullName, "missing"), CancellationToken.None));
    }

    [Theory]
    [InlineData(AgentTypes.ClaudeCode, Uuid + ".jsonl", "/upload/projects/upload/" + Uuid + ".jsonl")]
    [InlineData(AgentTypes.ClaudeCode, "agent-a1b2.jsonl", "/upload/projects/upload/agent-a1b2.jsonl")]
    [InlineData(AgentTypes.Codex, "rollout-x-" + Uuid + ".jsonl", "/upload/sessions/2026/03/05/rollout-x-" + Uuid + ".jsonl")]
    [InlineData(AgentTypes.Codex, "export.jsonl", "/upload/sessions/2026/03/05/rollout-export.jsonl")]
    [InlineData(AgentTypes.GeminiCli, "session-2025-10-05T07-11-eefc44a3.json", "/upload/.gemini/tmp/upload/chats/session-2025-10-05T07-11-eefc44a3.json")]
    [InlineData(AgentTypes.GeminiCli, "export.jsonl", "/upload/.gemini/tmp/upload/chats/session-export.jsonl")]
    public void An_upload_is_laid_out_where_its_format_recognises_it(string agentType, string fileName, string expected)
    {
        var format = Formats.All.Single(candidate => candidate.AgentType == agentType);

        // 23:30 at UTC-2 is the 5th in UTC: Codex dates its folders in UTC.
        var path = format.UploadPath(fileName, new DateTimeOffset(2026, 3, 4, 23, 30, 0, TimeSpan.FromHours(-2)));

        Assert.Equal(expected, path);
        Assert.Same(format, Formats.For(path));
    }

    [Fact]
    public void Finding_logs_keeps_recognised_files_once_in_ordinal_order()
    {
        var claude = Write("claude/projects/-p/" + Uuid + ".jsonl");
        var agent = Write("claude/projects/-p/" + Uuid + "/subagents/agent-a.jsonl");
        var codex = Write("codex/sessions/2025/10/05/rollout-" + Uuid + ".jsonl");
        var gemini = Write("gemini/tmp/p/chats/session-2026-04-23T12-52-0ab84937.json");
        Write("gemini/tmp/p/logs.json");
        Write("codex/sessions/2025/10/05/notes.jsonl");
        Write("claude/projects/-p/readme.md");
        var options = new EnumerationOptions { RecurseSubdirectories = true };

        var found = Formats.FindLogs([temp.FullName, codex, Path.Combine(temp.FullName, "claude")], options);

        Assert.Equal(new[] { agent, claude, codex, gemini }.Order(StringComparer.Ordinal), found);
        Assert.True(Formats.MatchesFileName("x.jsonl"));
        Assert.False(Formats.MatchesFileName("x.JSONL"));
        Assert.True(Formats.MatchesFileName("x.JSONL", ignoreCase: true));
    }

    [Fact]
    public void A_search_that_skips_hidden_entries_still_finds_aider_dot_files_but_not_inside_hidden_folders()
    {
        var history = Write("src/proj/.aider.chat.history.md");
        Write("src/proj/.git/old.aider.chat.history.md");
        Write("src/proj/.aider.input.history");
        var options = new EnumerationOptions { RecurseSubdirectories = true }; // skips hidden entries, as watch and push search

        Assert.Equal([history], Formats.FindLogs([Path.Combine(temp.FullName, "src")], options));
    }

    private string Write(string relative)
    {
        var path = Path.Combine(temp.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{}\n");
        return path;
    }
}
