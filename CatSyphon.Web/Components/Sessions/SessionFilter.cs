using System.Globalization;
using CatSyphon.Web.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace CatSyphon.Web.Components.Sessions;

/// <summary>
/// The archive's filters, kept in the page address under the API's own parameter names, so a link shows the same
/// list and the back button returns to the previous one. Dates are UTC days; <see cref="To"/> is included.
/// </summary>
public sealed record SessionFilter
{
    public const int PageSize = 50;

    public string? Q { get; init; }
    public Guid? ProjectId { get; init; }
    public Guid? DeveloperId { get; init; }
    public string? AgentType { get; init; }
    public string? Model { get; init; }
    public string? Status { get; init; }
    /// <summary>The tagged outcome and intent (the API's wire names).</summary>
    public string? Outcome { get; init; }
    public string? Intent { get; init; }
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public bool? HasPlan { get; init; }
    public bool? HasErrors { get; init; }

    /// <summary>True: only the signed-in person's own sessions.</summary>
    public bool? Mine { get; init; }

    /// <summary>Where the shown page starts (the API's cursor); none for the first page.</summary>
    public string? Cursor { get; init; }

    public bool IsSearch => !string.IsNullOrWhiteSpace(Q);

    public bool IsEmpty => this with { Cursor = null } == new SessionFilter();

    public static SessionFilter FromUri(string uri)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri, UriKind.Absolute).Query);
        string? Text(string name) => query.TryGetValue(name, out var values) && !string.IsNullOrWhiteSpace(values.ToString()) ? values.ToString() : null;
        Guid? Id(string name) => Guid.TryParse(Text(name), out var id) ? id : null;
        bool? Flag(string name) => bool.TryParse(Text(name), out var flag) ? flag : null;
        DateOnly? Day(string name) => DateOnly.TryParseExact(Text(name), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

        return new SessionFilter
        {
            Q = Text("q"),
            ProjectId = Id("project_id"),
            DeveloperId = Id("developer_id"),
            AgentType = Text("agent_type"),
            Model = Text("model"),
            Status = Text("status"),
            Outcome = Text("outcome"),
            Intent = Text("intent"),
            From = Day("from"),
            To = Day("to"),
            HasPlan = Flag("has_plan"),
            HasErrors = Flag("has_errors"),
            Mine = Flag("mine") == true ? true : null,
            Cursor = Text("cursor"),
        };
    }

    /// <summary>The address parameters; null removes a parameter from the address.</summary>
    public IReadOnlyDictionary<string, object?> ToUrlParameters() => new Dictionary<string, object?>
    {
        ["q"] = IsSearch ? Q!.Trim() : null,
        ["project_id"] = ProjectId?.ToString(),
        ["developer_id"] = DeveloperId?.ToString(),
        ["agent_type"] = AgentType,
        ["model"] = Model,
        ["status"] = Status,
        ["outcome"] = Outcome,
        ["intent"] = Intent,
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["has_plan"] = HasPlan is { } plan ? (plan ? "true" : "false") : null,
        ["has_errors"] = HasErrors is { } errors ? (errors ? "true" : "false") : null,
        ["mine"] = Mine == true ? "true" : null,
        ["cursor"] = Cursor,
    };

    /// <summary>
    /// The API query of this page. Browsing lists main sessions only (their sub-agents open under them); a search
    /// looks through every session, sub-agents included.
    /// </summary>
    public ApiQuery ToApiQuery(Guid workspaceId) => new ApiQuery()
        .Add("workspace_id", workspaceId)
        .Add("q", IsSearch ? Q!.Trim() : null)
        .Add("kind", IsSearch ? null : "main")
        .Add("project_id", ProjectId)
        .Add("developer_id", DeveloperId)
        .Add("agent_type", AgentType)
        .Add("model", Model)
        .Add("status", Status)
        .Add("outcome", Outcome)
        .Add("intent", Intent)
        .Add("from", From is { } from ? Midnight(from) : null)
        .Add("to", To is { } to ? Midnight(to.AddDays(1)) : null)
        .Add("has_plan", HasPlan)
        .Add("has_errors", HasErrors)
        .Add("mine", Mine)
        .Add("cursor", Cursor)
        .Add("limit", PageSize);

    /// <summary>The sub-agent sessions of <paramref name="parent"/>.</summary>
    public static ApiQuery SubAgentsQuery(Guid workspaceId, Guid parent) => new ApiQuery()
        .Add("workspace_id", workspaceId).Add("parent_id", parent).Add("sort", "started").Add("limit", 200);

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
