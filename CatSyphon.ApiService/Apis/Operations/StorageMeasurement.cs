using static CatSyphon.ApiService.Apis.Operations.StorageQueries;

namespace CatSyphon.ApiService.Apis.Operations;

/// <summary>Measures the database for the ops endpoint and the storage gauges, from <see cref="StorageQueries"/>.</summary>
internal static class StorageMeasurement
{
    /// <summary>
    /// Sizes, growth and the days until the budget is full, all database-wide; events per day listed only for the
    /// workspaces <paramref name="listed"/> accepts (by organization id).
    /// </summary>
    public static async Task<StorageReport> MeasureAsync(
        CatSyphonDbContext db, StorageWindow window, long? budgetBytes, Func<Guid, bool> listed, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var databaseBytes = await DatabaseBytesAsync(connection, cancellationToken);
        var tables = await TablesAsync(connection, cancellationToken);
        var storedEvents = await StoredEventsAsync(connection, cancellationToken);
        var rows = await EventDaysAsync(connection, workspace: null, window.From, cancellationToken);

        var eventsPerDay = StorageGrowthArithmetic.EventsPerDay(rows.Sum(r => r.Events), rows.Min(r => r.FirstAt), window.Now);
        var bytesPerEvent = StorageGrowthArithmetic.BytesPerEvent(tables.Sum(t => t.TotalBytes), storedEvents);
        var bytesPerDay = eventsPerDay * (bytesPerEvent ?? 0);
        var growth = new StorageGrowth(window.Days, eventsPerDay, bytesPerEvent, bytesPerDay, budgetBytes,
            StorageGrowthArithmetic.DaysUntilFull(budgetBytes, databaseBytes, bytesPerDay));
        var workspaces = Workspaces(rows.Where(r => listed(r.OrganizationId)), window);
        return new StorageReport(window.Now, databaseBytes, tables, workspaces, growth);
    }

    /// <summary>One workspace's events per day over the window.</summary>
    public static async Task<WorkspaceEventDays> WorkspaceEventsAsync(
        CatSyphonDbContext db, Guid workspace, StorageWindow window, CancellationToken cancellationToken) =>
        Workspaces(await EventDaysAsync(db.Database.GetDbConnection(), workspace, window.From, cancellationToken), window).Single();

    private static List<WorkspaceEventDays> Workspaces(IEnumerable<WorkspaceDayRow> rows, StorageWindow window) =>
        rows.GroupBy(r => (r.WorkspaceId, r.Name))
            .Select(workspace => new WorkspaceEventDays(workspace.Key.WorkspaceId, workspace.Key.Name, StorageGrowthArithmetic.EveryDay(window,
                workspace.Where(r => r.Day is not null).ToDictionary(r => DateOnly.FromDateTime(r.Day!.Value), r => r.Events))))
            .ToList();
}
