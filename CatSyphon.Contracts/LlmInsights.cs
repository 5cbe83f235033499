namespace CatSyphon.Contracts;

/// <summary>
/// What the optional LLM said about a session (its text is the model's, written from the session's text: show it as
/// plain text). <see cref="DescribesOlderVersion"/>: the session grew since, and a newer answer is not in yet.
/// </summary>
public sealed record SessionLlmInsightView(
    string Sentiment,
    string Summary,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> LearningOpportunities,
    string Model,
    DateTimeOffset ComputedAt,
    bool DescribesOlderVersion);

/// <summary>
/// A workspace's LLM status: whether an LLM is configured (without one, no session gets LLM insights and nothing is
/// sent), its model, and this calendar month's (UTC) use against the workspace's token budget. <see cref="Budget"/> is
/// the workspace's own (<see cref="BudgetIsDefault"/> false; 0 turns the LLM off for it) or the server's default.
/// </summary>
public sealed record LlmStatusView(
    bool Configured, string? Model, DateOnly Month, long InputTokens, long OutputTokens, int Requests, long Budget, bool BudgetIsDefault)
{
    public long TokensUsed => InputTokens + OutputTokens;
}
