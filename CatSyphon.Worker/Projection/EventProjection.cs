namespace CatSyphon.Worker.Projection;

/// <summary>
/// Reads the typed columns out of an event's data, one projector per target (messages, token usage, tool calls,
/// conversations with their plans and files). Lenient by design: a field of an unexpected shape is left out of its
/// column (the raw jsonb keeps everything); only data that is not a JSON object at all is refused.
/// </summary>
internal static class EventProjection
{
    public static EventRow Project(BufferedBatch batch, BufferedEvent buffered, Guid conversationId)
    {
        if (!WireName.TryParse<EventType>(buffered.Type, out var eventType))
        {
            throw new FormatException($"Unknown event type '{ColumnText.Truncate(buffered.Type, 64)}'.");
        }

        var raw = ColumnText.SanitizeJson(buffered.Data);
        using var document = JsonDocument.Parse(raw);
        var data = document.RootElement;
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("An event's data is not a JSON object.");
        }

        var row = new EventRow
        {
            ConversationId = conversationId,
            CollectorId = batch.CollectorId,
            Sequence = buffered.Sequence,
            EventHash = buffered.EventHash,
            EventType = eventType.Value,
            RawData = raw,
            EmittedAt = buffered.EmittedAt.ToUniversalTime(),
            ObservedAt = buffered.ObservedAt?.ToUniversalTime(),
            ReceivedAt = batch.ReceivedAt.ToUniversalTime(),
        };

        switch (eventType.Value)
        {
            case EventType.Message:
                MessageProjector.Message(data, row);
                break;
            case EventType.Thinking:
                MessageProjector.Thinking(data, row);
                break;
            case EventType.Error:
                MessageProjector.Error(data, row);
                break;
            case EventType.ToolCall:
                ToolCallProjector.Call(data, row);
                break;
            case EventType.ToolResult:
                ToolCallProjector.Result(data, row);
                break;
            case EventType.SessionStart:
                row.Start = ConversationProjector.Start(data, row.EmittedAt);
                break;
            case EventType.SessionEnd:
                row.End = ConversationProjector.End(data, row.EmittedAt);
                break;
        }

        TokenUsageProjector.Project(data, row);
        ToolCallProjector.KeepJoinableOnly(row);
        return row;
    }
}
