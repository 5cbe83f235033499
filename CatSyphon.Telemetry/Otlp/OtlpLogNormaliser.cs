using CatSyphon.Telemetry.Otlp.Wire;

namespace CatSyphon.Telemetry.Otlp;

/// <summary>OTLP log records (the agents' events) as <see cref="TelemetryEvent"/>s; a record that cannot be kept is counted as rejected.</summary>
internal static class OtlpLogNormaliser
{
    private const int MaxStatusCode = 999;

    /// <summary>The name of a plain log record (no event name anywhere): kept like any unknown event.</summary>
    public const string UnnamedEvent = "log";

    public static OtlpDecoded Normalise(ExportLogsServiceRequest request, DateTimeOffset receivedAt)
    {
        var events = new List<TelemetryEvent>();
        var rejections = new Rejections();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var resource = resourceLogs.Resource?.Attributes;
            var serviceName = ServiceName(resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                foreach (var record in scopeLogs.LogRecords)
                {
                    if (Normalise(record, new OtlpAttributes(record.Attributes, resource), serviceName, scopeLogs.Scope?.Name, receivedAt, rejections) is { } normalised)
                    {
                        events.Add(normalised);
                    }
                }
            }
        }

        return new OtlpDecoded(events, [], rejections.Count, rejections.Reason);
    }

    /// <summary>The resource's <c>service.name</c>: what tells Claude Code from Codex first.</summary>
    public static string? ServiceName(Google.Protobuf.Collections.RepeatedField<KeyValue>? resource)
    {
        if (resource is null)
        {
            return null;
        }

        foreach (var attribute in resource)
        {
            if (attribute.Key == "service.name")
            {
                return OtlpValue.Bounded(OtlpValue.Text(attribute.Value));
            }
        }

        return null;
    }

    /// <summary>
    /// The record's time (else its observed time, else its <c>event.timestamp</c>, else arrival), or null when it lies
    /// outside what any agent could have sent (the record is then rejected).
    /// </summary>
    public static DateTimeOffset? CheckedTime(DateTimeOffset? time, DateTimeOffset receivedAt) =>
        (time ?? receivedAt).ToUniversalTime() is var value && value >= TelemetryLimits.Earliest && value <= receivedAt + TelemetryLimits.MaxClockSkew ? value : null;

    private static TelemetryEvent? Normalise(
        LogRecord record, OtlpAttributes attributes, string? serviceName, string? scopeName, DateTimeOffset receivedAt, Rejections rejections)
    {
        var body = record.Body?.ValueCase == AnyValue.ValueOneofCase.StringValue ? OtlpValue.Bounded(record.Body.StringValue) : null;
        var fullName = AgentRecognition.FullEventName(attributes.Text("event.name"), body, OtlpValue.Bounded(record.EventName)) ?? UnnamedEvent;

        var stated = OtlpValue.Time(record.TimeUnixNano) ?? OtlpValue.Time(record.ObservedTimeUnixNano)
            ?? (DateTimeOffset.TryParse(attributes.Text("event.timestamp"), out var stamp) ? stamp : null);
        if (CheckedTime(stated, receivedAt) is not { } occurredAt)
        {
            rejections.Add($"A log record's time ({stated:O}) is outside the accepted range.");
            return null;
        }

        var name = AgentRecognition.ShortName(fullName);
        var status = attributes.Count("status_code") ?? attributes.Count("http.response.status_code");
        var statusCode = status is <= MaxStatusCode ? (int?)status : null;
        var decides = name == "tool_decision";
        return new TelemetryEvent
        {
            Agent = AgentRecognition.Agent(serviceName, scopeName, fullName, attributes),
            Name = name,
            SessionId = AgentRecognition.SessionId(attributes),
            OccurredAt = occurredAt,
            UserEmail = attributes.Text("user.email"),
            AccountId = attributes.FirstText("user.account_uuid", "user.account_id"),
            Model = attributes.Text("model"),
            ToolName = attributes.Text("tool_name"),
            Decision = decides ? AgentRecognition.Decision(attributes.Text("decision")) : null,
            DecisionSource = decides ? attributes.Text("source") : null,
            Success = attributes.Flag("success"),
            IsApiError = name == "api_error" || (name == "api_request" && (statusCode >= 400 || attributes.Text("error.message") is not null)),
            DurationMs = NonNegative(attributes.Number("duration_ms")),
            StatusCode = statusCode,
            CostUsd = NonNegative(attributes.Number("cost_usd")),
            InputTokens = attributes.Count("input_tokens") ?? attributes.Count("input_token_count"),
            OutputTokens = attributes.Count("output_tokens") ?? attributes.Count("output_token_count"),
            CacheReadTokens = attributes.Count("cache_read_tokens") ?? attributes.Count("cached_token_count"),
            CacheCreationTokens = attributes.Count("cache_creation_tokens"),
            Attributes = attributes.ToJson(),
        };
    }

    private static double? NonNegative(double? value) => value >= 0 ? value : null;
}
