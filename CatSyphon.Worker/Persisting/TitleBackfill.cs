namespace CatSyphon.Worker.Persisting;

/// <summary>
/// Gives titles to the sessions stored before titles existed (or whose first prompts were all noise), once per worker
/// start: pages of <see cref="PageSize"/> untitled conversations in id order, each read up to its first
/// <see cref="MessagesPerConversation"/> prompts and summaries (the head of each), titled by the same rules as
/// ingestion (<see cref="ConversationTitles"/>). Done in the worker rather than a migration because the rules are C#
/// (a SQL copy would drift) and a migration would hold up every start on a large archive; the update's guard keeps it
/// idempotent beside ingestion and other replicas.
/// </summary>
internal sealed partial class TitleBackfill(IngestionDatabase database, IOptions<IngestionWorkerOptions> options, ILogger<TitleBackfill> logger)
    : BackgroundService
{
    public const int PageSize = 200;

    private const int MessagesPerConversation = 20;

    private static readonly string PageSql = $"""
        SELECT c.id, m.role, m.message_type, m.uuid, left(m.content, 8192)
        FROM (SELECT id FROM conversations WHERE title IS NULL AND id > $1 ORDER BY id LIMIT {PageSize}) c
        LEFT JOIN LATERAL (
            SELECT m.sequence, m.role, m.message_type, m.uuid, m.content
            FROM messages m
            WHERE m.conversation_id = c.id AND m.event_type = '{WireName.Of(EventType.Message)}'
              AND m.message_type IN ('{WireName.Of(MessageType.Prompt)}', '{WireName.Of(MessageType.Summary)}')
            ORDER BY m.sequence
            LIMIT {MessagesPerConversation}) m ON true
        ORDER BY c.id, m.sequence
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var titled = await RunAsync(stoppingToken);
            if (titled > 0)
            {
                LogTitled(logger, titled);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(logger, FailureClassifier.Describe(exception));
        }
    }

    /// <summary>Titles every untitled conversation that has a title to give; returns how many got one.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var after = Guid.Empty;
        var titled = 0;
        while (await PageAsync(after, cancellationToken) is { Last: { } last } page)
        {
            titled += page.Titled;
            after = last;
        }

        return titled;
    }

    private async Task<(Guid? Last, int Titled)> PageAsync(Guid after, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sql = new SqlTransaction(connection, transaction, options.Value.CommandTimeoutSeconds);
        var messages = new List<TitleCandidate>();
        Guid? last = null;
        await using (var batch = sql.Batch())
        {
            batch.BatchCommands.Add(Sql.Command(PageSql, after));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                last = reader.GetGuid(0);
                if (!await reader.IsDBNullAsync(1, cancellationToken))
                {
                    messages.Add(new TitleCandidate(last.Value,
                        AuthorRoles.TryParse(reader.GetString(1), out var role) ? role : null,
                        WireName.TryParse<MessageType>(reader.GetString(2), out var type) ? type : null,
                        await reader.IsDBNullAsync(3, cancellationToken) ? null : reader.GetString(3),
                        await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetString(4)));
                }
            }
        }

        var titled = 0;
        await using (var batch = sql.Batch())
        {
            titled = ConversationTitles.Add(batch, messages, _ => null);
            if (titled > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (last, titled);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Titles: {Count} sessions stored before titles were given one")]
    private static partial void LogTitled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Titles: the backfill of stored sessions failed; the next start tries again: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
