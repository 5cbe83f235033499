namespace CatSyphon.Contracts;

public sealed record ProjectView(
    Guid Id, string Name, string Directory, long Sessions, long Developers, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

public sealed record DeveloperView(
    Guid Id, string Username, string? DisplayName, long Sessions, long Projects, DateTimeOffset? LastActivityAt, PricedTotals Tokens);

public sealed record FileActivity
{
    public required string Path { get; init; }
    public long Touches { get; init; }
    public long Sessions { get; init; }
    public long LinesAdded { get; init; }
    public long LinesDeleted { get; init; }
    public required string[] ChangeKinds { get; init; }
    public DateTimeOffset? LastTouchedAt { get; init; }
}

public sealed record ProjectFiles(Guid ProjectId, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<FileActivity> Files);
