using CatSyphon.Protocol;

namespace CatSyphon.Contracts;

/// <summary>A session's deterministic tags (see <see cref="SessionIntent"/>, <see cref="SessionOutcome"/>), as the worker computed them.</summary>
public sealed record SessionTags(
    SessionIntent Intent,
    SessionOutcome Outcome,
    int Iterations,
    int ErrorCount,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> Areas);

/// <summary>
/// Why a tag was given: the tag (<c>intent</c>, <c>outcome</c>, <c>iterations</c>, <c>errors</c>...), what the rule saw with
/// at most a short quote, and the event's sequence number when one event shows it.
/// </summary>
public sealed record TagEvidence(string Tag, string Detail, long? Sequence);

/// <summary>
/// How a workspace's sessions in a range ended and what they set out to do: counts per outcome and per intent (every
/// value, zero included) over the sessions tagged so far; <see cref="Sessions"/> counts all of the range's sessions.
/// </summary>
public sealed record InsightReport(
    Guid WorkspaceId, DateTimeOffset? From, DateTimeOffset? To, int Sessions, int Tagged,
    IReadOnlyDictionary<string, int> Outcomes, IReadOnlyDictionary<string, int> Intents);

/// <summary>
/// The one success rate of every report (the dashboard, the health report, the digest): success over the decided
/// outcomes (all but unknown), a partial success counting half.
/// </summary>
public static class OutcomeRates
{
    /// <summary>Between 0 and 1; null without a decided outcome.</summary>
    public static double? Success(int success, int partial, int decided) =>
        decided == 0 ? null : (success + partial / 2.0) / decided;

    /// <summary>The rate of sessions counted per outcome wire name (unknown and names not an outcome left out).</summary>
    public static double? Success<TCount>(IReadOnlyDictionary<string, TCount> outcomes) where TCount : System.Numerics.IBinaryInteger<TCount> =>
        Success(Count(outcomes, SessionOutcome.Success), Count(outcomes, SessionOutcome.Partial), Decided(outcomes));

    /// <summary>The sessions with a known outcome (every outcome but unknown).</summary>
    public static int Decided<TCount>(IReadOnlyDictionary<string, TCount> outcomes) where TCount : System.Numerics.IBinaryInteger<TCount> =>
        WireName.All<SessionOutcome>().Where(name => name != WireName.Of(SessionOutcome.Unknown)).Sum(name => int.CreateSaturating(outcomes.GetValueOrDefault(name, TCount.Zero)));

    private static int Count<TCount>(IReadOnlyDictionary<string, TCount> outcomes, SessionOutcome outcome) where TCount : System.Numerics.IBinaryInteger<TCount> =>
        int.CreateSaturating(outcomes.GetValueOrDefault(WireName.Of(outcome), TCount.Zero));
}
