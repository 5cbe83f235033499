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
