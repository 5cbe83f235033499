using System.Data.Common;
using CatSyphon.ApiService.Authentication;
using CatSyphon.ApiService.Infrastructure;
using CatSyphon.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CatSyphon.ApiService.Apis;

public sealed record TokenGroup(string? Key, long Input, long Output, long CacheCreation, long CacheRead)
{
    public long Total => Input + Output + CacheCreation + CacheRead;
}

public sealed record TokenStats(Guid WorkspaceId, string GroupBy, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<TokenGroup> Groups, TokenGroup Totals);

/// <summary>Token analytics that equal the logs' own accounting (ccusage's rules).</summary>
public static class StatsApi
{
    /// <summary>
    /// One usage per API response: rows sharing a usage key (message id + request id + session, set by the
    /// parsers) count once, a main-session copy before a sub-agent copy, then the larger total. Rows
    /// without a key (other collectors' events) count as they are. Days are UTC.
    /// </summary>
    private const string TokensSql = """
        WITH usage AS (
            SELECT CASE WHEN coalesce(m.raw_data->>'usage_key', '') = '' THEN m.id::text ELSE m.raw_data->>'usage_key' END AS usage_key,
                   coalesce((m.raw_data->>'usage_from_sub_agent')::boolean, false) AS from_sub_agent,
                   NULLIF(m.model, '<synthetic>') AS model,
                   (m.emitted_at AT TIME ZONE 'UTC')::date AS day,
                   coalesce(m.input_tokens, 0) AS input, coalesce(m.output_tokens, 0) AS output,
                   coalesce(m.cache_creation_tokens, 0) AS cache_creation, coalesce(m.cache_read_tokens, 0) AS cache_read
            FROM messages m
            JOIN conversations c ON c.id = m.conversation_id
            WHERE c.workspace_id = $1
              AND (m.input_tokens IS NOT NULL OR m.output_tokens IS NOT NULL OR m.cache_creation_tokens IS NOT NULL OR m.cache_read_tokens IS NOT NULL)
              AND ($2::timestamptz IS NULL OR m.emitted_at >= $2)
              AND ($3::timestamptz IS NULL OR m.emitted_at < $3)),
        counted AS (
            SELECT *, row_number() OVER (PARTITION BY usage_key
                                         ORDER BY from_sub_agent, input + output + cache_creation + cache_read DESC) AS copy
            FROM usage)
        SELECT {0} AS key, sum(input)::bigint, sum(output)::bigint, sum(cache_creation)::bigint, sum(cache_read)::bigint
        FROM counted
        WHERE copy = 1
        GROUP BY 1
        ORDER BY 1
        """;

    private static readonly Dictionary<string, string> Groupings = new(StringComparer.Ordinal)
    {
        ["day"] = "to_char(day, 'YYYY-MM-DD')",
        ["model"] = "model",
    };

    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/stats")
            .WithTags("Analytics")
            .RequireAuthorization(Policies.Admin);

        api.MapGet("/tokens", GetTokens).WithSummary("Token totals of a workspace per group (day in UTC, or model), counted once per API response");
        return api;
    }

    public static async Task<Results<Ok<TokenStats>, ProblemHttpResult>> GetTokens(
        [FromQuery(Name = "workspace_id")] Guid? workspaceId,
        [FromQuery(Name = "from")] DateTimeOffset? from,
        [FromQuery(Name = "to")] DateTimeOffset? to,
        [FromQuery(Name = "group_by")] string? groupBy,
        CatSyphonDbContext db,
        CancellationToken cancellationToken)
    {
        var grouping = groupBy ?? "day";
        if (!Groupings.TryGetValue(grouping, out var expression))
        {
            return ApiProblems.Validation("group_by", $"group_by must be one of: {string.Join(", ", Groupings.Keys)}.");
        }

        if (await WorkspacesApi.CheckWorkspaceAsync(workspaceId, db, cancellationToken) is { } problem)
        {
            return problem;
        }

        var workspace = workspaceId!.Value;

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(string.Format(TokensSql, expression), connection)
        {
            Parameters =
            {
                new() { Value = workspace },
                new() { Value = (object?)from?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                new() { Value = (object?)to?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
            },
        };
        var groups = new List<TokenGroup>();
        await using (DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                groups.Add(new TokenGroup(reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
            }
        }

        var totals = new TokenGroup(null, groups.Sum(g => g.Input), groups.Sum(g => g.Output), groups.Sum(g => g.CacheCreation), groups.Sum(g => g.CacheRead));
        return TypedResults.Ok(new TokenStats(workspace, grouping, from, to, groups, totals));
    }
}
