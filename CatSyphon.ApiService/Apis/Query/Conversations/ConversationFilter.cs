using System.Globalization;
using CatSyphon.Protocol;

namespace CatSyphon.ApiService.Apis.Query.Conversations;

public enum ListOrdering
{
    LastActivity,
    Started,
    Relevance,
}

/// <summary>The query string of the conversation list (<c>workspace_id</c> apart: see <see cref="WorkspaceScope"/>).</summary>
public sealed class ConversationFilter
{
    private static readonly OptionalCount Page = new(Default: 50, Max: 200);

    [FromQuery(Name = "project_id")] public Guid? ProjectId { get; init; }
    [FromQuery(Name = "developer_id")] public Guid? DeveloperId { get; init; }
    [FromQuery(Name = "agent_type")] public string? AgentType { get; init; }
    [FromQuery(Name = "model")] public string? Model { get; init; }
    [FromQuery(Name = "status")] public string? Status { get; init; }
    /// <summary>The tagged outcome (<see cref="SessionOutcome"/>: success, partial, failed, abandoned, unknown).</summary>
    [FromQuery(Name = "outcome")] public string? Outcome { get; init; }

    /// <summary>The tagged intent (<see cref="SessionIntent"/>: feature, bug_fix, refactor, tests, docs, exploration, ops, other).</summary>
    [FromQuery(Name = "intent")] public string? Intent { get; init; }
    [FromQuery(Name = "from")] public DateTimeOffset? From { get; init; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; init; }
    [FromQuery(Name = "has_plan")] public bool? HasPlan { get; init; }
    [FromQuery(Name = "has_errors")] public bool? HasErrors { get; init; }

    /// <summary><c>main</c> (no parent), <c>sub_agent</c>, or all when absent.</summary>
    [FromQuery(Name = "kind")] public string? Kind { get; init; }

    [FromQuery(Name = "parent_id")] public Guid? ParentId { get; init; }

    /// <summary>True: only the caller's own sessions (of their collectors, or of developer identities linked to them).</summary>
    [FromQuery(Name = "mine")] public bool? Mine { get; init; }
    [FromQuery(Name = "q")] public string? Q { get; init; }

    /// <summary><c>last_activity</c> (default) or <c>started</c>; search results are ordered by relevance.</summary>
    [FromQuery(Name = "sort")] public string? Sort { get; init; }

    [FromQuery(Name = "limit")] public int? Limit { get; init; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; init; }

    internal string? Query => string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();

    internal int PageSize => Page.Or(Limit);

    internal ListOrdering Ordering => Query is not null ? ListOrdering.Relevance : Sort == "started" ? ListOrdering.Started : ListOrdering.LastActivity;

    internal ListCursor? After { get; private set; }

    internal ProblemHttpResult? Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!Page.Allows(Limit))
        {
            errors["limit"] = [Page.Rule("limit")];
        }

        if (Kind is not (null or "main" or "sub_agent"))
        {
            errors["kind"] = ["kind must be main or sub_agent."];
        }

        if (Sort is not (null or "last_activity" or "started"))
        {
            errors["sort"] = ["sort must be last_activity or started."];
        }

        if (Status is not (null or "active" or "completed"))
        {
            errors["status"] = ["status must be active or completed."];
        }

        if (Outcome is not null && !WireName.TryParse<SessionOutcome>(Outcome, out _))
        {
            errors["outcome"] = [$"outcome must be one of: {string.Join(", ", WireName.All<SessionOutcome>())}."];
        }

        if (Intent is not null && !WireName.TryParse<SessionIntent>(Intent, out _))
        {
            errors["intent"] = [$"intent must be one of: {string.Join(", ", WireName.All<SessionIntent>())}."];
        }

        if (Q is { Length: > 500 })
        {
            errors["q"] = ["q is limited to 500 characters."];
        }

        if (From is { } from && To is { } to && to <= from)
        {
            errors["to"] = ["to must be after from."];
        }

        if (Cursor is not null)
        {
            if (ListCursor.TryParse(Cursor, Ordering, out var after))
            {
                After = after;
            }
            else
            {
                errors["cursor"] = ["cursor is not one this list returned (with the same sort and search)."];
            }
        }

        return errors.Count == 0 ? null : ApiProblems.Validation(errors);
    }
}

/// <summary>Where the next page starts: the last row's sort key (time or rank) and id, tagged with the ordering.</summary>
internal readonly record struct ListCursor(DateTimeOffset? Time, double Rank, Guid Id)
{
    public static string Format(ConversationSummary last, ListOrdering ordering) => ordering switch
    {
        ListOrdering.Relevance => string.Create(CultureInfo.InvariantCulture, $"r_{last.Rank ?? 0:R}_{last.Id:N}"),
        ListOrdering.Started => $"s_{Ticks(last.StartedAt)}_{last.Id:N}",
        _ => $"a_{Ticks(last.LastEventAt)}_{last.Id:N}",
    };

    public static bool TryParse(string text, ListOrdering ordering, out ListCursor cursor)
    {
        cursor = default;
        var parts = text.Split('_');
        var tag = ordering switch { ListOrdering.Relevance => "r", ListOrdering.Started => "s", _ => "a" };
        if (parts.Length != 3 || parts[0] != tag || !Guid.TryParseExact(parts[2], "N", out var id))
        {
            return false;
        }

        if (ordering == ListOrdering.Relevance)
        {
            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rank) || !double.IsFinite(rank))
            {
                return false;
            }

            cursor = new ListCursor(null, rank, id);
            return true;
        }

        if (parts[1] == NoTime)
        {
            cursor = new ListCursor(null, 0, id);
            return true;
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), 0, id);
        return true;
    }

    private const string NoTime = "none";

    private static string Ticks(DateTimeOffset? time) => time is { } t ? t.UtcTicks.ToString(CultureInfo.InvariantCulture) : NoTime;
}
