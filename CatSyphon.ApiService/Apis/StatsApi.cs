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
    /// Sums of <c>token_usages</c>, where the worker keeps one row per API response (a main-session copy before a
    /// sub-agent copy, then the larger total; events without a usage key one row each). A response counts on the
    /// day and under the model of its counted copy. Days are UTC.
    /// </summary>
    private const string TokensSql = """
        SELECT {0} AS key, sum(u.input_tokens)::bigint, sum(u.output_tokens)::bigint, sum(u.cache_creation_tokens)::bigint,
               sum(u.cache_read_tokens)::bigint
        FROM token_usages u
        WHERE u.workspace_id = $1
          AND ($2::timestamptz IS NULL OR u.occurred_at >= $2)
          AND ($3::timestamptz IS NULL OR u.occurred_at < $3)
        GROUP BY 1
        ORDER BY 1
        """;

    private static readonly Dictionary<string, string> Groupings = new(StringComparer.Ordinal)
    {
        ["day"] = "to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        ["model"] = "u.model",
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
