namespace CatSyphon.Protocol;

/// <summary>
/// The value limits of the collector protocol's small bodies: <c>POST /collectors/sessions/{id}/complete</c> and
/// <c>POST /collectors/heartbeat</c>. Each returns field -> messages for a 422, empty when the body is valid.
/// </summary>
public static class CollectorRequestValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(CompleteSessionRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.Outcome))
        {
            errors["outcome"] = ["outcome is required."];
        }

        Text(errors, "outcome", request.Outcome, ProtocolLimits.MaxShortTextLength);
        Text(errors, "summary", request.Summary, ProtocolLimits.MaxSummaryLength);
        Count(errors, "event_count", request.EventCount);
        Count(errors, "final_sequence", request.FinalSequence);
        return errors;
    }

    public static IReadOnlyDictionary<string, string[]> Validate(HeartbeatRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        Text(errors, "status", request.Status, ProtocolLimits.MaxShortTextLength);
        Text(errors, "version", request.Version, ProtocolLimits.MaxShortTextLength);
        Count(errors, "queue_depth", request.QueueDepth);
        return errors;
    }

    private static void Text(Dictionary<string, string[]> errors, string field, string? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            errors[field] = [$"{field} must be at most {max} characters; got {value.Length}."];
        }
    }

    private static void Count(Dictionary<string, string[]> errors, string field, long? value)
    {
        if (value is < 0 or > ProtocolLimits.MaxSequence)
        {
            errors[field] = [$"{field} must be an integer from 0 to {ProtocolLimits.MaxSequence}."];
        }
    }
}
