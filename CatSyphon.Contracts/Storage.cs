namespace CatSyphon.Contracts;

/// <summary>
/// The database's size and growth (<c>GET /api/ops/storage</c>, organization admins): sizes are the whole database's,
/// events per day only the caller's organization's workspaces.
/// </summary>
public sealed record StorageReport(
    DateTimeOffset MeasuredAt, long DatabaseBytes, IReadOnlyList<TableSize> Tables, IReadOnlyList<WorkspaceEventDays> Workspaces,
    StorageGrowth Growth);

/// <summary>One table with its indexes and TOAST (<c>pg_total_relation_size</c>), and the planner's row estimate.</summary>
public sealed record TableSize(string Name, long TotalBytes, long TableBytes, long IndexBytes, long EstimatedRows);

/// <summary>Events accepted on one UTC day.</summary>
public sealed record EventDay(DateOnly Day, long Events);

/// <summary>A workspace's events accepted per UTC day, oldest first, every day of the window listed (0 when none).</summary>
public sealed record WorkspaceEventDays(Guid WorkspaceId, string Name, IReadOnlyList<EventDay> Days);

/// <summary>
/// How fast the database grows: <see cref="EventsPerDay"/> is the mean over the window (every workspace) since the first
/// ingestion job in it, at least one day; <see cref="BytesPerEvent"/> is the size of the application's tables over the
/// events they hold; <see cref="BytesPerDay"/> their product. <see cref="DaysUntilBudgetFull"/> is null without a disk
/// budget or without growth.
/// </summary>
public sealed record StorageGrowth(
    int WindowDays, double EventsPerDay, double? BytesPerEvent, double BytesPerDay, long? DiskBudgetBytes, double? DaysUntilBudgetFull);
