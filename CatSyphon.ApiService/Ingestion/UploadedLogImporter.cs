using System.Text.Json;
using CatSyphon.ApiService.Privacy;
using CatSyphon.Protocol;
using CatSyphon.Protocol.Parsing;

namespace CatSyphon.ApiService.Ingestion;

/// <summary>
/// Feeds uploaded session logs through the collectors' own path: the same parsers, the same numbering
/// (each session's events in file order, so a file uploaded twice, or also synced by a collector,
/// stores nothing twice), the same validation and the same Redis buffer, in the name of the workspace's
/// built-in upload collector, redacted by the workspace's rules like every batch.
/// </summary>
public sealed class UploadedLogImporter(SessionBuffer buffer, IServiceScopeFactory scopes, WorkspaceRedactors redactors, TimeProvider time)
{
    public const string UploadCollectorType = "upload";

    public async Task<UploadedFileResult> ImportAsync(Guid workspaceId, string fileName, string path, CancellationToken cancellationToken)
    {
        var formats = AgentFormatRegistry.Default;
        var format = await formats.ForUploadAsync(fileName, path, cancellationToken);
        if (format is null)
        {
            return new UploadedFileResult(fileName, null, 0, 0, 0, 0, 0, [], $"Not a {formats.DisplayNames("or")} session log.");
        }

        var sink = new SessionEventCollector(time);
        ParseSummary summary;
        await using (var stream = File.OpenRead(path))
        {
            // Where the file would sit on a workstation: the parsers read session ids and layout from the path.
            var layoutPath = format.UploadPath(Path.GetFileName(fileName), time.GetUtcNow());
            summary = format.Parser.Parse(stream, new ParseRequest(layoutPath), sink);
        }

        // Lines the server refuses (sink.Warnings) were skipped; the rest of the file goes through.
        var warnings = new List<string>(summary.Warnings);
        warnings.AddRange(sink.Warnings);
        var collector = await UploadCollectorAsync(workspaceId, cancellationToken);
        long accepted = 0, duplicates = 0;
        foreach (var (sessionId, events) in sink.BySession)
        {
            var (sessionAccepted, sessionDuplicates) = await SendSessionAsync(collector, sessionId, events, warnings, cancellationToken);
            accepted += sessionAccepted;
            duplicates += sessionDuplicates;
        }

        return new UploadedFileResult(fileName, format.AgentType, sink.BySession.Count, sink.Count, accepted, duplicates, summary.MalformedLines, warnings, null);
    }

    /// <summary>Sends one session's events past what the server has; a batch the server refuses ends the session with a warning.</summary>
    private async Task<(long Accepted, long Duplicates)> SendSessionAsync(
        CollectorIdentity collector, string sessionId, List<ParsedEvent> events, List<string> warnings, CancellationToken cancellationToken)
    {
        // Events the server already has (by sequence) are not sent again.
        var next = ((await buffer.GetStatusAsync(collector.WorkspaceId, sessionId, cancellationToken))?.LastSequence ?? 0) + 1;
        long accepted = 0, duplicates = Math.Min(next - 1, events.Count);
        while (next <= events.Count)
        {
            var from = (int)next - 1;
            var batch = events.Skip(from).Take(ProtocolLimits.MaxEventsPerBatch).Select((e, i) => ToWire(e, from + i + 1)).ToList();
            var now = time.GetUtcNow();
            var redactor = await redactors.ForAsync(collector.WorkspaceId, cancellationToken);
            var validated = EventBatchValidator.Validate(new EventBatch(sessionId, batch!), now, redactor: redactor);
            if (!validated.IsValid)
            {
                // Not expected (the sink skips what the server refuses), but never a whole-file failure.
                var first = validated.Errors.First();
                warnings.Add($"Session {sessionId}: events from {next} on were not stored ({first.Key}: {first.Value[0]}).");
                break;
            }

            switch (await buffer.AcceptAsync(collector, validated, Guid.CreateVersion7(), now, cancellationToken))
            {
                case BufferOutcome.Accepted done:
                    accepted += done.Count;
                    duplicates += done.Duplicates;
                    next = from + batch.Count + 1;
                    break;
                case BufferOutcome.SequenceGap gap:
                    // Someone else (a collector) moved the session on meanwhile: continue where the server is.
                    next = gap.ExpectedSequence;
                    break;
            }
        }

        return (accepted, duplicates);
    }

    private static CollectorEvent ToWire(ParsedEvent parsed, long sequence)
    {
        using var data = JsonDocument.Parse(parsed.Data);
        return new CollectorEvent(parsed.Type, JsonSerializer.SerializeToElement(ProtocolTimestamp.FormatCanonical(parsed.EmittedAt)), null, sequence, parsed.EventHash, data.RootElement.Clone());
    }

    /// <summary>The workspace's built-in collector that uploads are accepted for (created once; its key is never handed out).</summary>
    private async Task<CollectorIdentity> UploadCollectorAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatSyphonDbContext>();
        var existing = await db.Collectors.Where(c => c.WorkspaceId == workspaceId && c.CollectorType == UploadCollectorType)
            .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is { } id)
        {
            return new CollectorIdentity(id, workspaceId, Disabled: false);
        }

        var key = CollectorKeys.Generate();
        var collector = new Collector
        {
            WorkspaceId = workspaceId,
            CollectorType = UploadCollectorType,
            CollectorVersion = "1",
            Hostname = "web upload",
            ApiKeyHash = CollectorKeys.Hash(key),
            ApiKeyPrefix = CollectorKeys.Prefix(key),
        };
        db.Collectors.Add(collector);
        await db.SaveChangesAsync(cancellationToken);
        return new CollectorIdentity(collector.Id, workspaceId, Disabled: false);
    }
}
