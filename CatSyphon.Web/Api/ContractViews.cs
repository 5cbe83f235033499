namespace CatSyphon.Web.Api;

/// <summary>
/// What the pages derive from the API's records. Extension members, not members of the records: the records are the
/// API's contract, and a property there would be serialized into every answer.
/// </summary>
public static class ContractViews
{
    extension(ActivityGroup group)
    {
        /// <summary>The group's readable name: its label, else its key.</summary>
        public string Name => group.Label ?? group.Key ?? "(none)";
    }

    extension(CollectorSummary collector)
    {
        /// <summary>active, disabled or revoked.</summary>
        public string State => collector.RevokedAt is not null ? "revoked" : collector.DisabledAt is not null ? "disabled" : "active";
    }

    extension(ConversationSummary session)
    {
        /// <summary>What a list, a heading or a tab calls the session: its title, else its summary, else its id.</summary>
        public string DisplayTitle =>
            !string.IsNullOrWhiteSpace(session.Title) ? session.Title
            : !string.IsNullOrWhiteSpace(session.Summary) ? session.Summary
            : $"Session {session.SessionId}";

        /// <summary>The status as shown: <c>completed (idle)</c> when it went quiet, with the outcome when it reported one.</summary>
        public string StatusText => session.EndReason is { } reason ? $"{session.Status} ({reason})" : session.Status;
    }

    extension(DeveloperView developer)
    {
        public string Name => developer.DisplayName ?? developer.Username;
    }

    extension(TokenCounts tokens)
    {
        public long Total => tokens.Input + tokens.Output + tokens.CacheCreation + tokens.CacheRead;
    }
}
