namespace CatSyphon.ApiService.Infrastructure;

/// <summary>
/// The optional <c>from</c> (inclusive) and <c>to</c> (exclusive) query parameters of a report or list over time; a
/// handler takes them <c>[AsParameters]</c>, and its argument checks name them as the request does.
/// </summary>
public sealed class TimeRange
{
    [FromQuery(Name = "from")] public DateTimeOffset? From { get; init; }
    [FromQuery(Name = "to")] public DateTimeOffset? To { get; init; }
}
