namespace CatSyphon.Contracts;

public sealed record PlanSummary(
    Guid Id, Guid ConversationId, string SessionId, string? ProjectName, string Identifier, string? Title, string? Status,
    int Versions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PlanVersionView(int Version, string Content, DateTimeOffset CreatedAt);

public sealed record PlanDetail(PlanSummary Plan, IReadOnlyList<PlanVersionView> Versions);

/// <summary>
/// One row of a side-by-side diff (<see cref="Change"/> is unchanged, added, deleted or changed); a side is null
/// where the line exists only on the other side.
/// </summary>
public sealed record PlanDiffLine(string Change, int? OldNumber, string? OldText, int? NewNumber, string? NewText);

public sealed record PlanDiff(Guid PlanId, int From, int To, int Added, int Deleted, int Changed, IReadOnlyList<PlanDiffLine> Lines);
