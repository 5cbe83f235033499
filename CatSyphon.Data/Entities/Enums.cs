namespace CatSyphon.Data;

// Every enum here is stored as text: its wire name (snake_case of the member name, see WireName),
// which is also the value the collector protocol and the API use. The enums the API sends as they are
// (CollectorRegistration, IngestionSource, IngestionOutcome) live in CatSyphon.Contracts and are stored the same way.

public enum ConversationStatus
{
    Active,
    Completed,
}

/// <summary>The <c>type</c> of a collector event.</summary>
public enum EventType
{
    SessionStart,
    Message,
    ToolCall,
    ToolResult,
    Thinking,
    Error,
    Metadata,
    SessionEnd,
}

/// <summary>The <c>author_role</c> of a message event (the wire value <c>user</c> is read as <see cref="Human"/>).</summary>
public enum AuthorRole
{
    Human,
    Caller,
    Assistant,
    Agent,
    Tool,
    System,
}

/// <summary>The <c>message_type</c> of a message event.</summary>
public enum MessageType
{
    Prompt,
    Response,
    ToolCall,
    ToolResult,
    Plan,
    Summary,
    Context,
    Error,
}
