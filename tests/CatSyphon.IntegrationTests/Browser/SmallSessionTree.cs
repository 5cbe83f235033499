namespace CatSyphon.IntegrationTests.Browser;

/// <summary>
/// A small ~/.claude/projects tree of recent sessions (so the dashboard's default range shows them): project
/// "tokenizer" with a session that thinks, edits, runs a failing test, writes a plan twice and starts a sub-agent,
/// plus a second session; project "gateway" with one session of another model.
/// </summary>
public static class SmallSessionTree
{
    public const string PlanSession = "d4d4d4d4-0000-4000-8000-00000000000d";
    public const string ChangelogSession = "e5e5e5e5-0000-4000-8000-00000000000e";
    public const string GatewaySession = "f6f6f6f6-0000-4000-8000-00000000000f";
    public const string SubAgentSession = PlanSession + ":agent-b7";

    /// <summary>A word only the plan session's first prompt contains.</summary>
    public const string SearchWord = "apostrophes";

    public static void Write(string projects, DateTimeOffset now)
    {
        string At(int daysAgo, int minute) => now.UtcDateTime.Date.AddDays(-daysAgo).AddHours(9).AddMinutes(minute).ToString("yyyy-MM-ddTHH:mm:ssZ");
        const string sonnet = "claude-sonnet-4-5-20250929";

        var tokenizer = Directory.CreateDirectory(Path.Combine(projects, "-home-dev-tokenizer"));
        var plan = new ClaudeLines(PlanSession, "/home/dev/tokenizer");
        File.WriteAllLines(Path.Combine(tokenizer.FullName, $"{PlanSession}.jsonl"),
        [
            plan.User("u1", At(2, 0), $"Make the tokenizer keep {SearchWord} inside words"),
            plan.Assistant("a1", At(2, 1), "msg_p1", sonnet,
                """[{"type":"thinking","thinking":"Apostrophes are split today because the regex treats them as punctuation.","signature":"s"},{"type":"text","text":"I will plan this first."}]""",
                input: 1200, output: 300, cacheCreation: 400, cacheRead: 9000),
            plan.Assistant("a2", At(2, 2), "msg_p2", sonnet,
                """[{"type":"tool_use","id":"toolu_plan1","name":"ExitPlanMode","input":{"plan":"1. Change the word regex\n2. Run the tests"}}]""", input: 50, output: 40),
            plan.Assistant("a3", At(2, 3), "msg_p3", sonnet,
                """[{"type":"tool_use","id":"toolu_plan2","name":"ExitPlanMode","input":{"plan":"1. Change the word regex\n2. Add tests for apostrophes\n3. Run the tests"}}]""", input: 50, output: 45),
            plan.Assistant("a4", At(2, 4), "msg_p4", sonnet,
                """[{"type":"tool_use","id":"toolu_edit","name":"Edit","input":{"file_path":"/home/dev/tokenizer/src/words.py","old_string":"WORD = r'\\w+'","new_string":"WORD = r\"[\\w']+\"\n# apostrophes stay inside words"}}]""",
                input: 60, output: 80),
            plan.ToolResult("r1", At(2, 5), "toolu_edit", "The file /home/dev/tokenizer/src/words.py has been updated.", isError: false),
            plan.Assistant("a5", At(2, 6), "msg_p5", sonnet,
                """[{"type":"tool_use","id":"toolu_bash","name":"Bash","input":{"command":"pytest -q tests/test_words.py"}}]""", input: 40, output: 20),
            plan.ToolResult("r2", At(2, 8), "toolu_bash", "F.\nFAILED tests/test_words.py::test_quotes - AssertionError: ['don', 't'] != [\"don't\"]\n1 failed, 1 passed", isError: true),
            plan.Assistant("a6", At(2, 9), "msg_p6", sonnet, """[{"type":"text","text":"One test still fails; the regex needs the Unicode apostrophe too."}]""", input: 30, output: 25),
        ]);
        var subagents = Directory.CreateDirectory(Path.Combine(tokenizer.FullName, PlanSession, "subagents"));
        File.WriteAllLines(Path.Combine(subagents.FullName, "agent-b7.jsonl"),
        [
            plan.Assistant("s1", At(2, 7), "msg_s1", "claude-haiku-4-5-20251001", """[{"type":"text","text":"Found three call sites of the word regex."}]""",
                input: 20, output: 30, sidechain: true),
        ]);

        var changelog = new ClaudeLines(ChangelogSession, "/home/dev/tokenizer");
        File.WriteAllLines(Path.Combine(tokenizer.FullName, $"{ChangelogSession}.jsonl"),
        [
            changelog.User("u1", At(1, 0), "Add a changelog entry for the release"),
            changelog.Assistant("a1", At(1, 1), "msg_c1", sonnet,
                """[{"type":"tool_use","id":"toolu_write","name":"Write","input":{"file_path":"/home/dev/tokenizer/CHANGELOG.md","content":"## 2.1\n- words keep apostrophes\n"}}]""",
                input: 300, output: 120),
            changelog.ToolResult("r1", At(1, 2), "toolu_write", "File created", isError: false),
        ]);

        var gateway = Directory.CreateDirectory(Path.Combine(projects, "-home-dev-gateway"));
        var profile = new ClaudeLines(GatewaySession, "/home/dev/gateway");
        File.WriteAllLines(Path.Combine(gateway.FullName, $"{GatewaySession}.jsonl"),
        [
            profile.User("u1", At(0, 0), "Profile the gateway's request handling"),
            profile.Assistant("a1", At(0, 1), "msg_g1", "claude-opus-4-1-20250805",
                """[{"type":"tool_use","id":"toolu_read","name":"Read","input":{"file_path":"/home/dev/gateway/handler.go"}}]""", input: 900, output: 200),
            profile.ToolResult("r1", At(0, 2), "toolu_read", "package gateway\n\nfunc Handle() {}", isError: false),
        ]);
    }
}
