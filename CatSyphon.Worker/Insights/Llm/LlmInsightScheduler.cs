using System.Diagnostics.Metrics;

namespace CatSyphon.Worker.Insights.Llm;

/// <summary>
/// Every <see cref="LlmOptions.Interval"/> (and at start), asks the LLM about up to <see cref="LlmOptions.BatchSize"/>
/// due sessions (<see cref="LlmInsightStore"/>), one at a time, and stores each answer with its usage. A workspace whose
/// remaining monthly budget is below a request's estimate is skipped before anything is sent. A refused key or model
/// stops the round (logged once); any other failure is recorded on its session and the round goes on. Only registered
/// when a key is configured. Replicas take turns through a session advisory lock held for the round.
/// </summary>
internal sealed partial class LlmInsightScheduler(
    IngestionDatabase database,
    LlmChat chat,
    IOptions<LlmOptions> options,
    IOptions<InsightOptions> insightOptions,
    IMeterFactory meterFactory,
    ILogger<LlmInsightScheduler> logger) : BackgroundService
{
    public const string MeterName = "CatSyphon.Insights.Llm";

    private readonly Counter<long> requests = meterFactory.Create(MeterName)
        .CreateCounter<long>("catsyphon.llm.requests", "{request}", "Requests about sessions by result (over_budget: not sent).");

    private readonly Counter<long> tokens = meterFactory.Create(MeterName)
        .CreateCounter<long>("catsyphon.llm.tokens", "{token}", "Tokens the LLM reported using, by direction.");

    /// <summary>The status of the last refusal, so a wrong key is logged once, not every round.</summary>
    private int? lastRefusal;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await PeriodicWork.RepeatAsync(
            options.Value.Interval,
            async token =>
            {
                if (await RunRoundAsync(token) is var asked and > 0)
                {
                    LogRound(logger, asked);
                }
            },
            exception => LogFailed(logger, FailureClassifier.Describe(exception)),
            stoppingToken);
    }

    /// <summary>Asks about the sessions due, one batch; returns how many requests were sent.</summary>
    public async Task<int> RunRoundAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        if (!await LlmInsightStore.TryLockAsync(connection, cancellationToken))
        {
            return 0;
        }

        try
        {
            var asked = 0;
            foreach (var session in await LlmInsightStore.DueAsync(connection, options.Value, cancellationToken))
            {
                switch (await AskAboutAsync(connection, session, cancellationToken))
                {
                    case null:
                        continue;
                    case LlmReply.Refused:
                        return asked + 1;
                    default:
                        asked++;
                        break;
                }
            }

            lastRefusal = null;
            return asked;
        }
        finally
        {
            await LlmInsightStore.UnlockAsync(connection);
        }
    }

    /// <summary>Renders, checks the budget, asks and stores; null when nothing was sent (gone, or over budget).</summary>
    private async Task<LlmReply?> AskAboutAsync(NpgsqlConnection connection, LlmSessionHeader session, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (await SessionViewQuery.LoadAsync(connection, null, session.ConversationId, insightOptions.Value.RowsPerEnd, cancellationToken) is not var (view, _))
        {
            return null;
        }

        var redactor = await LlmInsightStore.RedactorAsync(connection, session.WorkspaceId, cancellationToken);
        var rendering = LlmPrompt.Render(session, view, redactor, settings.MaxPromptCharacters);
        if (LlmPrompt.EstimateTokens(rendering, settings.MaxOutputTokens) > await LlmInsightStore.RemainingAsync(connection, session.WorkspaceId, settings.MonthlyTokenBudget, cancellationToken))
        {
            Count("over_budget");
            return null;
        }

        var reply = await chat.AskAsync(rendering, cancellationToken);
        await RecordAsync(connection, session, reply, cancellationToken);
        return reply;
    }

    private async Task RecordAsync(NpgsqlConnection connection, LlmSessionHeader session, LlmReply reply, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        switch (reply)
        {
            case LlmReply.Answered answered:
                await LlmInsightStore.RecordUsageAsync(connection, session.WorkspaceId, answered.InputTokens, answered.OutputTokens, cancellationToken);
                tokens.Add(answered.InputTokens, new KeyValuePair<string, object?>("direction", "input"));
                tokens.Add(answered.OutputTokens, new KeyValuePair<string, object?>("direction", "output"));
                if (answered.Answer is { } answer)
                {
                    await LlmInsightStore.SaveAnswerAsync(connection, session, answered, answer, cancellationToken);
                    Count("success");
                }
                else
                {
                    // Asking the same again would give the same: the version is given up until the session grows.
                    await LlmInsightStore.SaveFailureAsync(connection, session, answered.Model, answered.Error!, settings.MaxAttempts, cancellationToken);
                    Count("malformed");
                    LogSessionFailed(logger, session.ConversationId, answered.Error!);
                }

                break;
            case LlmReply.Failed failed:
                await LlmInsightStore.SaveFailureAsync(connection, session, settings.Model, failed.Error, failed.Attempts, cancellationToken);
                Count("failed");
                LogSessionFailed(logger, session.ConversationId, failed.Error);
                break;
            case LlmReply.Refused refused:
                Count("refused");
                if (lastRefusal != refused.Status)
                {
                    LogRefused(logger, refused.Status, settings.Model);
                }

                lastRefusal = refused.Status;
                break;
        }
    }

    private void Count(string result) => requests.Add(1, new KeyValuePair<string, object?>("result", result));

    [LoggerMessage(Level = LogLevel.Information, Message = "LLM insights: {Count} sessions asked about")]
    private static partial void LogRound(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM insights: the request about session {ConversationId} failed: {Error}")]
    private static partial void LogSessionFailed(ILogger logger, Guid conversationId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "LLM insights: the endpoint refused the key or the model {Model} (HTTP {Status}); rounds stop at the first request until it is fixed")]
    private static partial void LogRefused(ILogger logger, int status, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LLM insights: the round failed and is tried again next time: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
