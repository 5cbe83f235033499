using System.Data.Common;
using System.Reflection;
using System.Runtime.CompilerServices;
using Npgsql;

namespace CatSyphon.ApiService.Apis.Export;

/// <summary>
/// Writes one export archive of a scope onto a stream as it reads the database (see <see cref="ExportQueries"/>), then
/// its manifest with the line count of every file, and audits who exported what and how much (never any content).
/// </summary>
public sealed class ExportWriter(QueryDbContext query, CatSyphonDbContext db, PricedTokenTotals tokens, AuditTrail audit, TimeProvider time)
{
    private static readonly string Version =
        typeof(ExportWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    internal async Task WriteAsync(Stream output, ExportScope scope, CancellationToken cancellationToken)
    {
        var generatedAt = time.GetUtcNow();
        IReadOnlyDictionary<string, long> lines = new Dictionary<string, long>();
        var completed = false;
        try
        {
            await using (var archive = await ExportArchive.CreateAsync(output, cancellationToken))
            {
                lines = archive.Lines;
                await WriteFilesAsync(archive, scope, cancellationToken);
                var manifest = new ExportManifest(ExportFiles.FormatVersion, generatedAt, scope.Name, scope.Workspace, scope.Person,
                    scope.Workspaces, lines, Version);
                await archive.WriteDocumentAsync(ExportFiles.Manifest, manifest, ExportJsonContext.Default.ExportManifest, cancellationToken);
            }

            completed = true;
        }
        finally
        {
            await AuditAsync(scope, lines, completed);
        }
    }

    private async Task WriteFilesAsync(ExportArchive archive, ExportScope scope, CancellationToken cancellationToken)
    {
        var json = ExportJsonContext.Default;
        await query.Database.OpenConnectionAsync(cancellationToken);
        var connection = query.Database.GetDbConnection();
        await archive.WriteLinesAsync(ExportFiles.Sessions, SessionsAsync(connection, scope, cancellationToken), json.ExportSession, cancellationToken);
        await archive.WriteLinesAsync(ExportFiles.Messages, ExportQueries.Messages(connection, scope), json.ExportMessage, cancellationToken);
        await archive.WriteLinesAsync(ExportFiles.ToolCalls, ExportQueries.ToolCalls(connection, scope), json.ExportToolCall, cancellationToken);
        await archive.WriteLinesAsync(ExportFiles.Files, ExportQueries.Files(connection, scope), json.ExportFile, cancellationToken);
        await archive.WriteLinesAsync(ExportFiles.Plans, ExportQueries.Plans(connection, scope), json.ExportPlan, cancellationToken);
        await archive.WriteLinesAsync(ExportFiles.TokenUsage, ExportQueries.TokenUsage(connection, scope), json.ExportTokenUsage, cancellationToken);
        if (scope.Workspace is { } workspace)
        {
            await archive.WriteLinesAsync(ExportFiles.Developers, ExportQueries.Developers(connection, workspace.Id), json.ExportDeveloper, cancellationToken);
            await archive.WriteLinesAsync(ExportFiles.Projects, ExportQueries.Projects(connection, workspace.Id), json.ExportProject, cancellationToken);
        }
    }

    /// <summary>The scope's sessions page by page, each page with its tokens and cost priced as the conversation list prices them.</summary>
    private async IAsyncEnumerable<ExportSession> SessionsAsync(
        DbConnection connection, ExportScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (afterWorkspace, afterSession) = (Guid.Empty, "");
        while (true)
        {
            var page = await ExportQueries.SessionPageAsync(connection, scope, afterWorkspace, afterSession, cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }

            var ids = page.Select(session => session.Id).ToArray();
            var totals = await tokens.QueryAsync(query, "u.conversation_id::text", "u.conversation_id = ANY(@ids)", [new NpgsqlParameter("ids", ids)],
                cancellationToken);
            foreach (var session in page)
            {
                yield return session.WithTotals(totals.GetValueOrDefault(session.Id.ToString()));
            }

            (afterWorkspace, afterSession) = (page[^1].WorkspaceId, page[^1].SessionId);
        }
    }

    /// <summary>Who exported which scope, and the line counts written (also of an export the client left before its end).</summary>
    private async Task AuditAsync(ExportScope scope, IReadOnlyDictionary<string, long> lines, bool completed)
    {
        var details = new { Files = lines, Completed = completed };
        if (scope.Workspace is { } workspace)
        {
            audit.Record(db, workspace.Id, "workspace.exported", "workspace", workspace.Id, details);
        }
        else
        {
            audit.Record(db, null, "person.exported", "user", scope.Person!.Id, details);
        }

        // Recorded even when the request was cancelled: the data that went out is what the entry is for.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
