namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The workspace a request reads or changes, named by its <c>workspace_id</c> query parameter. A handler takes it
/// <c>[AsParameters]</c>; the <see cref="EndpointAccessFilter"/> of its route group resolves it, with the caller's role
/// there, before the handler runs.
/// </summary>
public sealed class WorkspaceScope
{
    public const string QueryName = "workspace_id";

    private Guid? resolved;

    [FromQuery(Name = QueryName)]
    public Guid? WorkspaceId { get; init; }

    /// <summary>The workspace, once the filter has found it and the caller's role there.</summary>
    public Guid Id => resolved ?? throw new InvalidOperationException(
        "The workspace scope was not resolved: the endpoint needs RequireWorkspaceRole() in a group of MapApiGroup().");

    internal void Resolve(Guid id) => resolved = id;
}

/// <summary>
/// What the access filter found for this request: who calls and, on a workspace-scoped endpoint, their effective role in
/// the workspace and its transcript visibility. A scoped service, so any handler can take it.
/// </summary>
public sealed class RequestAccess
{
    private Caller? caller;

    /// <summary>Who calls; set by the access filter before any handler of the API runs (never defaulted: a default would grant something).</summary>
    public Caller Caller
    {
        get => caller ?? throw new InvalidOperationException("No caller: the endpoint is not in a group of MapApiGroup(), or it is anonymous.");
        internal set => caller = value;
    }

    public WorkspaceRole Role { get; internal set; }

    public TranscriptVisibility TranscriptVisibility { get; internal set; }

    /// <summary>
    /// The person whose sessions alone the caller may read transcripts of, or null for every session: set for members and
    /// viewers of a workspace whose transcript visibility is <c>own</c>.
    /// </summary>
    public Guid? TranscriptsOnlyOf =>
        TranscriptVisibility == TranscriptVisibility.Own && Role < WorkspaceRole.Admin ? Caller.UserId : null;
}
