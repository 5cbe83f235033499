using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;

namespace CatSyphon.ApiService.Apis.Export;

/// <summary>
/// The export's reads. Transcripts, tool calls, files, plans and token usage are each one query whose rows are read as
/// they arrive (Dapper's unbuffered reader over Npgsql's): EF Core would buffer a whole result under the retrying
/// execution strategy, and one streamed query walks the (conversation, sequence) indexes once, where pages of a keyset
/// would read them again for every page. Sessions come in keyset pages, since each page's tokens and cost are priced in
/// a second query.
/// </summary>
internal static class ExportQueries
{
    /// <summary>Sessions of a page: enough to price in one query, few enough that a page is small.</summary>
    public const int SessionPageSize = 500;

    /// <summary>The session every row names: its conversation id and the collector's session id.</summary>
    private const string Session = "c.id AS conversation_id, c.session_id";

    /// <summary>A page of the scope's sessions after (<paramref name="afterWorkspace"/>, <paramref name="afterSession"/>), in that order.</summary>
    public static async Task<List<ExportSession>> SessionPageAsync(
        DbConnection connection, ExportScope scope, Guid afterWorkspace, string afterSession, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ExportSession>(new CommandDefinition($"""
            SELECT c.id, c.workspace_id, c.session_id, c.parent_conversation_id, c.parent_session_id, c.agent_type, c.agent_version,
                   c.project_id, p.name AS project_name, c.developer_id, coalesce(d.display_name, d.username) AS developer_name,
                   c.working_directory, c.git_branch, c.hostname, c.status, c.outcome, c.summary,
                   c.started_at, c.ended_at, c.first_event_at, c.last_event_at,
                   c.message_count, c.tool_call_count, c.event_count, c.has_plan, c.has_errors, c.metadata::text AS metadata,
                   array(SELECT DISTINCT u.model FROM token_usages u WHERE u.conversation_id = c.id AND u.model IS NOT NULL ORDER BY 1) AS models,
                   array(SELECT DISTINCT t.tool_name FROM tool_calls t WHERE t.conversation_id = c.id AND t.tool_name IS NOT NULL ORDER BY 1) AS tools,
                   (SELECT count(*) FROM files_touched f WHERE f.conversation_id = c.id)::int AS files_touched
            FROM conversations c
            LEFT JOIN projects p ON p.id = c.project_id
            LEFT JOIN developers d ON d.id = c.developer_id
            WHERE {scope.Condition} AND (c.workspace_id, c.session_id) > (@afterWorkspace, @afterSession)
            ORDER BY c.workspace_id, c.session_id
            LIMIT @limit
            """, scope.With(new { afterWorkspace, afterSession, limit = SessionPageSize }), cancellationToken: cancellationToken))).ToList();

    public static IAsyncEnumerable<ExportMessage> Messages(DbConnection connection, ExportScope scope) => Stream<ExportMessage>(connection, scope, $"""
        SELECT {Session}, m.sequence, m.event_type, m.role, m.message_type, m.content, m.thinking, m.model,
               m.input_tokens, m.output_tokens, m.cache_creation_tokens, m.cache_read_tokens, m.stop_reason,
               m.raw_data->>'tool_use_id' AS tool_use_id, m.raw_data->>'tool_name' AS tool_name,
               m.uuid, m.parent_uuid, m.emitted_at, m.raw_data::text AS data
        FROM conversations c JOIN messages m ON m.conversation_id = c.id
        WHERE {scope.Condition}
        ORDER BY c.id, m.sequence
        """);

    public static IAsyncEnumerable<ExportToolCall> ToolCalls(DbConnection connection, ExportScope scope) => Stream<ExportToolCall>(connection, scope, $"""
        SELECT {Session}, t.tool_use_id, t.tool_name, t.parameters::text AS parameters, t.result, t.success, t.error_message,
               t.called_at, t.completed_at
        FROM conversations c JOIN tool_calls t ON t.conversation_id = c.id
        WHERE {scope.Condition}
        ORDER BY c.id, t.id
        """);

    public static IAsyncEnumerable<ExportFile> Files(DbConnection connection, ExportScope scope) => Stream<ExportFile>(connection, scope, $"""
        SELECT {Session}, f.path, f.change_kind, f.lines_added, f.lines_deleted, f.touched_at
        FROM conversations c JOIN files_touched f ON f.conversation_id = c.id
        WHERE {scope.Condition}
        ORDER BY c.id, f.id
        """);

    public static IAsyncEnumerable<ExportPlan> Plans(DbConnection connection, ExportScope scope) => Stream<ExportPlan>(connection, scope, $"""
        SELECT {Session}, p.id, p.identifier, p.title, p.status, p.created_at, p.updated_at,
               (SELECT coalesce(json_agg(json_build_object('version', v.version, 'content', v.content,
                                                           'created_at', to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                                ORDER BY v.version), '[]')
                FROM plan_versions v WHERE v.plan_id = p.id)::text AS versions
        FROM conversations c JOIN plans p ON p.conversation_id = c.id
        WHERE {scope.Condition}
        ORDER BY c.id, p.created_at, p.id
        """);

    public static IAsyncEnumerable<ExportTokenUsage> TokenUsage(DbConnection connection, ExportScope scope) => Stream<ExportTokenUsage>(connection, scope, $"""
        SELECT {Session}, u.usage_key, u.model, u.occurred_at, u.input_tokens, u.output_tokens, u.cache_creation_tokens,
               u.cache_creation_1h_tokens, u.cache_read_tokens, u.fast, u.from_sub_agent
        FROM conversations c JOIN token_usages u ON u.conversation_id = c.id
        WHERE {scope.Condition}
        ORDER BY c.id, u.occurred_at, u.usage_key
        """);

    /// <summary>The workspace's developer identities (a workspace export only).</summary>
    public static IAsyncEnumerable<ExportDeveloper> Developers(DbConnection connection, Guid workspace) => Stream<ExportDeveloper>(connection,
        "SELECT d.id, d.username, d.display_name, d.user_id, d.created_at FROM developers d WHERE d.workspace_id = @workspace ORDER BY d.username",
        new { workspace });

    /// <summary>The workspace's projects (a workspace export only).</summary>
    public static IAsyncEnumerable<ExportProject> Projects(DbConnection connection, Guid workspace) => Stream<ExportProject>(connection,
        "SELECT p.id, p.name, p.directory, p.created_at FROM projects p WHERE p.workspace_id = @workspace ORDER BY p.directory",
        new { workspace });

    private static IAsyncEnumerable<T> Stream<T>(DbConnection connection, ExportScope scope, string sql) =>
        Stream<T>(connection, sql, scope.Parameters);

    /// <summary>
    /// The rows of <paramref name="sql"/> one at a time, as Npgsql reads them off the connection. No command timeout: a
    /// large scope's first rows may take longer than a page query's limit; the client leaving cancels the read.
    /// </summary>
    private static async IAsyncEnumerable<T> Stream<T>(DbConnection connection, string sql, object parameters,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in connection.QueryUnbufferedAsync<T>(sql, parameters, commandTimeout: 0).WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}
