using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CatSyphon.Data.Migrations
{
    /// <summary>
    /// Daily rollups of the analytics (<c>/api/stats</c>, the dashboard, the project and developer lists), so a 90-day report
    /// reads a few rows per conversation and day instead of every API response and tool call of the range.
    /// <c>token_usage_days</c>: per conversation, UTC day, model and speed, the responses and their token sums (and the
    /// largest single response, which tells the reports when a long-context tier may apply and the raw rows must be read);
    /// <c>tool_call_days</c>: per conversation, UTC day of the call and tool, the calls, errors, calls without a result and
    /// the durations. Both are keyed by conversation, not by project or developer, because a conversation's project and
    /// developer can change after its rows are stored: the reports join the conversation when they read.
    /// </summary>
    /// <remarks>
    /// Statement-level triggers keep them, inside the worker's transaction, from the rows each statement inserted or changed
    /// (transition tables): one aggregated upsert per statement, never one per row. Triggers rather than statements of the
    /// worker because the stored rows change after their insert (a better copy of a response replaces a token_usages row,
    /// possibly of another conversation, model or day; a tool result arrives after its call), and only the UPDATE's old
    /// and new rows, which PostgreSQL 15's RETURNING cannot give, tell what to take off and what to add. A re-persisted set
    /// inserts and changes nothing, so it adds nothing. Rows of the two sources are only deleted with their conversation,
    /// whose deletion cascades to its rollup rows too, so there are no DELETE triggers.
    /// </remarks>
    [DbContext(typeof(CatSyphonDbContext))]
    [Migration("20261205150000_AnalyticsDailyRollups")]
    public partial class AnalyticsDailyRollups : Migration
    {
        /// <summary>One token_usages row <c>t</c> as a rollup contribution of <c>{0}</c> (1 or -1) responses.</summary>
        private const string TokenContribution = """
            t.workspace_id, t.conversation_id, (t.occurred_at AT TIME ZONE 'UTC')::date AS day, t.model, t.fast, {0} AS responses,
            {0} * t.input_tokens AS input_tokens, {0} * t.output_tokens AS output_tokens,
            {0} * t.cache_creation_tokens AS cache_creation_tokens, {0} * t.cache_creation_1h_tokens AS cache_creation_1h_tokens,
            {0} * t.cache_read_tokens AS cache_read_tokens,
            greatest(t.input_tokens, t.output_tokens, t.cache_creation_tokens - t.cache_creation_1h_tokens, t.cache_creation_1h_tokens,
                     t.cache_read_tokens) AS largest_kind,
            t.input_tokens + t.cache_creation_tokens + t.cache_read_tokens AS largest_request
            """;

        private const string TokenRollup = """
            SELECT workspace_id, conversation_id, day, model, fast, sum(responses), sum(input_tokens), sum(output_tokens),
                   sum(cache_creation_tokens), sum(cache_creation_1h_tokens), sum(cache_read_tokens), max(largest_kind), max(largest_request)
            FROM ({0}) r
            GROUP BY conversation_id, day, model, fast, workspace_id
            ORDER BY conversation_id, day, model, fast
            """;

        private const string TokenColumns = """
            token_usage_days AS d (workspace_id, conversation_id, day, model, fast, responses, input_tokens, output_tokens,
                cache_creation_tokens, cache_creation_1h_tokens, cache_read_tokens, largest_kind, largest_request)
            """;

        /// <summary>The largest response only grows, also when a row is taken off: an upper bound, which is all the reports need.</summary>
        private const string TokenUpsert = """
            ON CONFLICT (conversation_id, day, model, fast) DO UPDATE SET
                responses = d.responses + EXCLUDED.responses, input_tokens = d.input_tokens + EXCLUDED.input_tokens,
                output_tokens = d.output_tokens + EXCLUDED.output_tokens,
                cache_creation_tokens = d.cache_creation_tokens + EXCLUDED.cache_creation_tokens,
                cache_creation_1h_tokens = d.cache_creation_1h_tokens + EXCLUDED.cache_creation_1h_tokens,
                cache_read_tokens = d.cache_read_tokens + EXCLUDED.cache_read_tokens,
                largest_kind = greatest(d.largest_kind, EXCLUDED.largest_kind),
                largest_request = greatest(d.largest_request, EXCLUDED.largest_request)
            """;

        /// <summary>One tool_calls row <c>t</c> (of conversation <c>c</c>) as a rollup contribution of <c>{0}</c> (1 or -1) calls.</summary>
        private const string ToolContribution = """
            c.workspace_id, t.conversation_id, (t.called_at AT TIME ZONE 'UTC')::date AS day, coalesce(t.tool_name, 'unknown') AS tool_name,
            {0} AS calls, CASE WHEN t.success = false THEN {0} ELSE 0 END AS errors, CASE WHEN t.success IS NULL THEN {0} ELSE 0 END AS unanswered,
            CASE WHEN t.completed_at >= t.called_at THEN {0} * extract(epoch FROM t.completed_at - t.called_at) * 1000 ELSE 0 END AS duration_ms,
            CASE WHEN t.completed_at >= t.called_at THEN {0} ELSE 0 END AS durations
            """;

        private const string ToolRollup = """
            SELECT workspace_id, conversation_id, day, tool_name, sum(calls), sum(errors), sum(unanswered), sum(duration_ms), sum(durations)
            FROM ({0}) r
            GROUP BY conversation_id, day, tool_name, workspace_id
            ORDER BY conversation_id, day, tool_name
            """;

        private const string ToolColumns =
            "tool_call_days AS d (workspace_id, conversation_id, day, tool_name, calls, errors, unanswered, duration_ms, durations)";

        private const string ToolUpsert = """
            ON CONFLICT (conversation_id, day, tool_name) DO UPDATE SET
                calls = d.calls + EXCLUDED.calls, errors = d.errors + EXCLUDED.errors, unanswered = d.unanswered + EXCLUDED.unanswered,
                duration_ms = d.duration_ms + EXCLUDED.duration_ms, durations = d.durations + EXCLUDED.durations
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE token_usage_days (
                    workspace_id uuid NOT NULL,
                    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                    day date NOT NULL,
                    model text,
                    fast boolean NOT NULL,
                    responses bigint NOT NULL,
                    input_tokens bigint NOT NULL,
                    output_tokens bigint NOT NULL,
                    cache_creation_tokens bigint NOT NULL,
                    cache_creation_1h_tokens bigint NOT NULL,
                    cache_read_tokens bigint NOT NULL,
                    largest_kind bigint NOT NULL,
                    largest_request bigint NOT NULL,
                    CONSTRAINT ux_token_usage_days UNIQUE NULLS NOT DISTINCT (conversation_id, day, model, fast)
                );
                CREATE INDEX ix_token_usage_days_workspace_id_day ON token_usage_days (workspace_id, day);
                CREATE TABLE tool_call_days (
                    workspace_id uuid NOT NULL,
                    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                    day date,
                    tool_name text NOT NULL,
                    calls bigint NOT NULL,
                    errors bigint NOT NULL,
                    unanswered bigint NOT NULL,
                    duration_ms numeric NOT NULL,
                    durations bigint NOT NULL,
                    CONSTRAINT ux_tool_call_days UNIQUE NULLS NOT DISTINCT (conversation_id, day, tool_name)
                );
                CREATE INDEX ix_tool_call_days_workspace_id_day ON tool_call_days (workspace_id, day);
                """);

            // What is stored already, then the triggers that keep the rollups from here on.
            migrationBuilder.Sql($"""
                INSERT INTO {TokenColumns} {Rollup(TokenRollup, TokenContribution, "token_usages", "1")};
                INSERT INTO {ToolColumns} {Rollup(ToolRollup, ToolContribution, ToolSource("tool_calls"), "1")};
                {Triggered("token_usage_days", "token_usages", TokenColumns, TokenRollup, TokenContribution, TokenUpsert, source => source)}
                {Triggered("tool_call_days", "tool_calls", ToolColumns, ToolRollup, ToolContribution, ToolUpsert, ToolSource)}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER token_usage_days_inserted ON token_usages;
                DROP TRIGGER token_usage_days_updated ON token_usages;
                DROP TRIGGER tool_call_days_inserted ON tool_calls;
                DROP TRIGGER tool_call_days_updated ON tool_calls;
                DROP FUNCTION token_usage_days_inserted();
                DROP FUNCTION token_usage_days_updated();
                DROP FUNCTION tool_call_days_inserted();
                DROP FUNCTION tool_call_days_updated();
                DROP TABLE tool_call_days;
                DROP TABLE token_usage_days;
                """);
        }

        /// <summary>Tool calls carry no workspace: their conversation does.</summary>
        private static string ToolSource(string rows) => $"{rows} t JOIN conversations c ON c.id = t.conversation_id";

        private static string Rollup(string rollup, string contribution, string source, string sign) =>
            string.Format(rollup, $"SELECT {string.Format(contribution, sign)} FROM {SourceAlias(source)}");

        /// <summary>A source named bare (a table) gets the alias <c>t</c> the contributions use.</summary>
        private static string SourceAlias(string source) => source.Contains(' ', StringComparison.Ordinal) ? source : $"{source} t";

        /// <summary>
        /// The functions and statement triggers that add to <paramref name="rollup"/> what each INSERT into <paramref name="table"/>
        /// inserted, and what each UPDATE changed (its new rows minus its old ones).
        /// </summary>
        private static string Triggered(
            string rollup, string table, string columns, string rollupSql, string contribution, string upsert, Func<string, string> source)
        {
            var inserted = Rollup(rollupSql, contribution, source("new_rows"), "1");
            var updated = string.Format(rollupSql,
                $"SELECT {string.Format(contribution, "1")} FROM {SourceAlias(source("new_rows"))} " +
                $"UNION ALL SELECT {string.Format(contribution, "-1")} FROM {SourceAlias(source("old_rows"))}");
            return $"""
                CREATE FUNCTION {rollup}_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO {columns} {inserted} {upsert};
                    RETURN NULL;
                END $$;
                CREATE FUNCTION {rollup}_updated() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO {columns} {updated} {upsert};
                    RETURN NULL;
                END $$;
                CREATE TRIGGER {rollup}_inserted AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION {rollup}_inserted();
                CREATE TRIGGER {rollup}_updated AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION {rollup}_updated();
                -- Also in a session in replica role (a bulk load that skips the foreign keys' checks, as a test does): the
                -- analytics read only the rollups, so no path that writes the rows may leave them behind.
                ALTER TABLE {table} ENABLE ALWAYS TRIGGER {rollup}_inserted, ENABLE ALWAYS TRIGGER {rollup}_updated;
                """;
        }
    }
}
