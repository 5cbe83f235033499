namespace CatSyphon.Data;

// Every enum here is stored as text: its wire name (snake_case of the member name, see WireName),
// which is also the value the collector protocol and the API use.

/// <summary>Who may register a collector in a workspace without the admin token.</summary>
public enum CollectorRegistration
{
    /// <summary>A valid enrollment token of the workspace (or the admin token) is required.</summary>
    Token,

    /// <summary>Anyone who knows the workspace id may register.</summary>
    Open,
}

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

public enum IngestionSource
{
    Collector,
    Upload,
}

public enum IngestionOutcome
{
    Accepted,
    Refused,
    Failed,
}
