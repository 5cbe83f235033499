namespace CatSyphon.Worker.Projection;

/// <summary>The <c>messages</c> columns of message, thinking and error events.</summary>
internal static class MessageProjector
{
    public static void Message(JsonElement data, EventRow row)
    {
        var role = Text(data, EventFields.AuthorRole) ?? Text(data, EventFields.Role);
        row.Role = AuthorRoles.TryParse(role, out var parsedRole) ? parsedRole : null;
        row.MessageType = WireName.TryParse<MessageType>(Text(data, EventFields.MessageType), out var messageType) ? messageType : null;
        row.Content = Text(data, EventFields.Content);
        row.Model = Identifier(data, EventFields.Model);
        row.Thinking = Text(data, EventFields.ThinkingContent);
        row.ApiMessageId = Identifier(data, EventFields.ApiMessageId);
        row.RequestId = Text(data, EventFields.RequestId);
        row.Uuid = Text(data, EventFields.Uuid);
        row.ParentUuid = Text(data, EventFields.ParentUuid);
        row.StopReason = Text(data, EventFields.StopReason);
    }

    public static void Thinking(JsonElement data, EventRow row) =>
        row.Thinking = Text(data, EventFields.Content) ?? Text(data, EventFields.Thinking) ?? Text(data, EventFields.ThinkingContent) ?? Text(data, EventFields.Text);

    public static void Error(JsonElement data, EventRow row)
    {
        row.IsError = true;
        row.Content = Text(data, EventFields.Message) ?? Text(data, EventFields.ErrorMessage) ?? Text(data, EventFields.Error) ?? Text(data, EventFields.Content);
    }
}
