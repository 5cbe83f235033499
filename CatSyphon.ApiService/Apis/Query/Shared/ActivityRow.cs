namespace CatSyphon.ApiService.Apis.Query.Shared;

/// <summary>A project (detail = directory, others = developers) or a developer (detail = display name, others = projects).</summary>
internal sealed class ActivityRow
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public string? Detail { get; init; }
    public long Sessions { get; init; }
    public long Others { get; init; }
    public DateTimeOffset? LastActivityAt { get; init; }
}
