using System.Globalization;

namespace CatSyphon.IntegrationTests;

/// <summary>A tagged session written straight into PostgreSQL: who, where, when, and the tags and measures the worker would store.</summary>
public sealed record SeededSession(
    string Title, string Project, string Developer, DateTimeOffset Start, double Minutes, string Outcome,
    int Commits = 0, int Files = 0, int TestRuns = 0, bool? LastPassed = null, int Errors = 0, int Unresolved = 0,
    string[]? Targets = null, int Iterations = 0, string[]? Languages = null);

/// <summary>
/// Seeds a workspace's projects, developers, conversations and their session_insights rows in SQL, so the team reports can
/// be checked against numbers worked out by hand. The rows are never due for the worker: no events to outgrow, and a rules
/// version above any real one, so it never tags them again over the written tags.
/// </summary>
public static class InsightSeed
{
    private const int NeverDueRulesVersion = 1_000_000;

    /// <summary>The last ISO week that has ended (the digest's default), in UTC.</summary>
    public static (string Name, DateTimeOffset Start) LastCompleteWeek()
    {
        var day = DateTime.UtcNow.AddDays(-7);
        var (year, week) = (ISOWeek.GetYear(day), ISOWeek.GetWeekOfYear(day));
        var start = new DateTimeOffset(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday), TimeSpan.Zero);
        return (WeekName(start), start);
    }

    /// <summary>The ISO week of <paramref name="time"/> as the API names it: <c>2026-W49</c>.</summary>
    public static string WeekName(DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(time.UtcDateTime):D4}-W{ISOWeek.GetWeekOfYear(time.UtcDateTime):D2}");

    /// <summary>Writes the sessions into <paramref name="workspace"/>; returns each project's id by name.</summary>
    public static async Task<Dictionary<string, Guid>> SeedAsync(CatSyphonApp app, Guid workspace, IReadOnlyList<SeededSession> sessions)
    {
        await using var db = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
        await db.OpenAsync();
        // One transaction: the worker must never see a conversation without its insight row, or it tags it first.
        await using var transaction = await db.BeginTransactionAsync();
        var projects = new Dictionary<string, Guid>();
        foreach (var name in sessions.Select(s => s.Project).Distinct())
        {
            projects[name] = await InsertAsync(db,
                "INSERT INTO projects (id, workspace_id, directory, name, created_at) VALUES ($1, $2, $3, $4, now())", workspace, $"/home/dev/{name}", name);
        }

        var developers = new Dictionary<string, Guid>();
        foreach (var name in sessions.Select(s => s.Developer).Distinct())
        {
            developers[name] = await InsertAsync(db,
                "INSERT INTO developers (id, workspace_id, username, display_name, created_at) VALUES ($1, $2, $3, $4, now())", workspace, name, name);
        }

        foreach (var session in sessions)
        {
            await InsertSessionAsync(db, workspace, session, projects[session.Project], developers[session.Developer]);
        }

        await transaction.CommitAsync();
        return projects;
    }

    private static async Task InsertSessionAsync(NpgsqlConnection db, Guid workspace, SeededSession s, Guid project, Guid developer)
    {
        var id = Guid.NewGuid();
        await ExecuteAsync(db, """
            INSERT INTO conversations (id, workspace_id, project_id, developer_id, session_id, title, status, message_count, tool_call_count,
                                       event_count, last_sequence, persisted_sequence, has_plan, has_errors, created_at, updated_at,
                                       started_at, first_event_at, last_event_at, ended_at)
            VALUES ($1, $2, $3, $4, $1::text, $5, 'completed', 0, 0, 0, 0, 0, false, $8, now(), now(), $6, $6, $7, $7)
            """, id, workspace, project, developer, s.Title, s.Start, s.Start.AddMinutes(s.Minutes), s.Errors > 0);
        await ExecuteAsync(db, """
            INSERT INTO session_insights (conversation_id, workspace_id, intent, outcome, iterations, error_count, tools_used, languages, areas,
                                          evidence, event_count, rules_version, computed_at, test_runs, tests_passed, last_test_passed,
                                          commits, unresolved_errors, files_changed, error_targets)
            VALUES ($1, $2, 'feature', $3, $4, $5, ARRAY[]::text[], $6, ARRAY[]::text[], '[]', 0, $7, now(), $8, $9, $10::boolean, $11, $12, $13, $14)
            """, id, workspace, s.Outcome, s.Iterations, s.Errors, s.Languages ?? [], NeverDueRulesVersion, s.TestRuns,
            s.LastPassed == true ? s.TestRuns : 0, s.LastPassed, s.Commits, s.Unresolved, s.Files, s.Targets ?? []);
    }

    /// <summary>The optional LLM's answer for the workspace's session titled <paramref name="title"/>, as the worker stores one.</summary>
    public static async Task AddLlmInsightAsync(CatSyphonApp app, Guid workspace, string title, string sentiment, string summary, string[] problems, string[] learning)
    {
        await using var db = new NpgsqlConnection(await app.GetConnectionStringAsync(ResourceNames.Database));
        await db.OpenAsync();
        await ExecuteAsync(db, """
            INSERT INTO session_llm_insights (conversation_id, workspace_id, event_count, prompt_version, model, sentiment, summary, problems,
                                              features, learning_opportunities, input_tokens, output_tokens, computed_at, attempts)
            SELECT id, workspace_id, 0, 1, 'gpt-test', $3, $4, $5, ARRAY[]::text[], $6, 900, 80, now(), 0
            FROM conversations WHERE workspace_id = $1 AND title = $2
            """, workspace, title, sentiment, summary, problems, learning);
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Guid> InsertAsync(NpgsqlConnection db, string sql, Guid workspace, string first, string second)
    {
        var id = Guid.NewGuid();
        await ExecuteAsync(db, sql, id, workspace, first, second);
        return id;
    }
}
